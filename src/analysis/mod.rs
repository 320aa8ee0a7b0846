//! Text analysis: the German analyzer shared by indexing, queries and snippets.

pub mod compounds;
pub mod german;
mod part_filter;
pub mod preanalyzed;
pub mod word_marks;

pub use german::{ANALYZER_NAME, ANALYZER_VERSION, GermanTokenizer, analyze, term_for_word};

use tantivy::Index;
use tantivy::tokenizer::TextAnalyzer;

/// Name under which the exact-form tokenizer is registered with tantivy.
pub const EXACT_FORMS_NAME: &str = "archiv_exact_forms";

/// Registers the German analyzer with an index; must run after every open,
/// since tantivy does not persist tokenizers.
pub fn register(index: &Index) {
    index.tokenizers().register(
        ANALYZER_NAME,
        TextAnalyzer::builder(GermanTokenizer).build(),
    );
    index.tokenizers().register(
        EXACT_FORMS_NAME,
        TextAnalyzer::builder(german::ExactFormTokenizer).build(),
    );
    index.tokenizers().register(
        preanalyzed::PRE_ANALYZED_NAME,
        TextAnalyzer::builder(preanalyzed::PreAnalyzedTokenizer).build(),
    );
}
