//! Findings in article text: publication dates (countries and actors follow).

pub mod dates;
