//! Placeholder: the importer is being written.
use std::path::Path;

use super::{Parsed, file_problem};
use crate::catalogue::validate::Problem;

pub fn read(path: &Path) -> Result<Parsed, Vec<Problem>> {
    Err(vec![file_problem(path, 1, "file", "format not supported yet")])
}
