//! The terminal interface (being written): for now, a summary of the catalogue.

use crate::cli::BrowseArgs;
use crate::commands::{Failure, prepare};
use crate::data_dir::DataDir;

pub fn run(data: &DataDir, _args: BrowseArgs) -> Result<(), Failure> {
    prepare(data)?;
    let index = crate::search::SearchIndex::open(&data.search_dir()).map_err(|e| Failure::Runtime(e.into()))?;
    println!("WIC: {} initiatives indexed.", index.meta().documents);
    Ok(())
}
