//! The terminal interface. Input becomes an [`action::Action`]; [`app::App::update`] is the
//! one door into the state and answers with [`command::Command`]s; the [`runtime::Runtime`]
//! carries those out (slow ones on a worker thread) and feeds the outcomes back as Actions;
//! [`view::render`] draws a frame from `&App`. [`terminal`] owns the real terminal and the
//! loop. `docs/ARCHITECTURE.md` follows one typed letter through all of it.

pub mod action;
pub mod app;
pub mod command;
pub mod desk;
pub mod effects;
pub mod keys;
pub mod layout;
pub mod palette;
pub mod qr;
pub mod runtime;
pub mod spoken;
pub mod terminal;
pub mod view;
pub mod worker;

pub use terminal::{Launch, run};
