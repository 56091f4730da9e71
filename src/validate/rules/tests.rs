//! Tests of the catalogue as a whole and of each rule: it fires on a broken design (with the
//! right targets) and stays quiet once the design is fixed.

use super::testkit::*;
use super::RULES;
use crate::model::*;
use crate::validate::{validate, Severity};

#[test]
fn the_clean_design_has_no_diagnostics() {
    let d = clean();
    assert_eq!(validate(&d), vec![]);
}
