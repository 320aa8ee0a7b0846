//! Findings in article text: publication dates, countries and actors.
//! Pure functions from text to findings; the data they use lives in `data/`.

pub mod actors;
pub mod countries;
pub mod dates;
pub mod text;

use serde::Serialize;

use crate::analysis::german::{TermText, Word, word_terms, words};
use crate::article::Article;
pub use actors::{ActorKind, ActorMention, find_actors};
pub use countries::{CountryMention, Gazetteer, find_countries};

/// Bumped when the recognisers change what they find for the same text.
const RECOGNISER_VERSION: &str = "1";

/// Identifies the recognisers and their data: an index annotated by another
/// version must be rebuilt, or its facets would mix two kinds of findings.
pub fn version() -> String {
    // The data files' hash is made by build.rs.
    format!("{RECOGNISER_VERSION}-{}", env!("ARCHIV_ENTITY_DATA_HASH"))
}

/// Everything entity recognition found in one article.
#[derive(Debug, Clone, Serialize, serde::Deserialize, Default)]
pub struct Findings {
    pub countries: Vec<CountryMention>,
    pub actors: Vec<ActorMention>,
}

/// Finds the countries and actors of an article, from its title and body.
pub fn find(article: &Article) -> Findings {
    let body_words = words(&article.body);
    let body_terms = word_terms(&body_words);
    find_with_body_words(article, &body_words, &body_terms)
}

/// As `find`, with the body already split into words and their terms
/// (ingest analyses once for both the index and recognition).
pub fn find_with_body_words(
    article: &Article,
    body_words: &[Word],
    body_terms: &[Option<TermText>],
) -> Findings {
    // Lines are recognised one by one, so title and body need no joining.
    let title = article.title.as_deref().filter(|_| !article.title_derived);
    let title_words = title.map(words).unwrap_or_default();
    let mut toks = Vec::with_capacity(title_words.len() + body_words.len());
    if let Some(title) = title {
        text::push_tokens_of_words(&mut toks, title, &title_words, None);
    }
    text::push_tokens_of_words(&mut toks, &article.body, body_words, Some(body_terms));
    Findings {
        countries: countries::countries_in(&toks),
        actors: actors::actors_in(&toks),
    }
}

/// Fills the article's countries and actors (most mentioned first) and
/// returns the findings with their counts.
pub fn annotate(article: &mut Article) -> Findings {
    let findings = find(article);
    apply(article, findings)
}

/// Fills the article's countries and actors from findings made for it.
pub fn apply(article: &mut Article, findings: Findings) -> Findings {
    article.countries = findings.countries.iter().map(|c| c.code.clone()).collect();
    article.actors = findings.actors.iter().map(|a| a.name.clone()).collect();
    findings
}
