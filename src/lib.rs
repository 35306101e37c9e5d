//! WIC kiosk: the collaborative initiatives of the Hauts-de-Seine, from any terminal.
//!
//! The binary (`src/main.rs`) only parses the command line and dispatches here.

pub mod bench;
pub mod catalogue;
pub mod cli;
pub mod commands;
pub mod config;
pub mod data_dir;
pub mod day;
pub mod fleet;
pub mod geo;
pub mod hours;
pub mod i18n;
pub mod identity;
pub mod kiosk;
pub mod mark;
pub mod orientation;
pub mod permissions;
pub mod pictogram;
pub mod reports;
pub mod review;
pub mod search;
pub mod shortlist;
pub mod speech;
pub mod spool;
pub mod synth;
pub mod terminal_env;
pub mod text;
pub mod ui;
pub mod usage;
pub mod whole_file;
