//! The columns of a hit in tabular and keyed output (CSV, JSON of exports,
//! NDJSON, Markdown tables): defined once here, picked with `--fields`.

use serde::Serialize;
use serde_json::{Value, json};

use crate::search::Hit;

/// One column of a hit.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Column {
    Rank,
    Score,
    Id,
    Date,
    Source,
    Title,
    Url,
    Path,
    Countries,
    Actors,
    Snippet,
}

/// Separator of multi-valued fields (countries, actors) in one text cell.
pub const LIST_SEPARATOR: &str = "; ";

impl Column {
    /// Every column, in the default order.
    pub const ALL: [Column; 11] = [
        Column::Rank,
        Column::Score,
        Column::Id,
        Column::Date,
        Column::Source,
        Column::Title,
        Column::Url,
        Column::Path,
        Column::Countries,
        Column::Actors,
        Column::Snippet,
    ];

    /// The column's name: header cell and JSON key.
    pub fn name(self) -> &'static str {
        match self {
            Column::Rank => "rank",
            Column::Score => "score",
            Column::Id => "id",
            Column::Date => "date",
            Column::Source => "source",
            Column::Title => "title",
            Column::Url => "url",
            Column::Path => "path",
            Column::Countries => "countries",
            Column::Actors => "actors",
            Column::Snippet => "snippet",
        }
    }

    /// The value as JSON: `null` when missing, lists as arrays.
    pub fn json(self, hit: &Hit) -> Value {
        let a = &hit.article;
        match self {
            Column::Rank => json!(hit.rank),
            Column::Score => score_json(hit.score),
            Column::Id => json!(a.id),
            Column::Date => json!(a.date.map(|d| d.format("%Y-%m-%d").to_string())),
            Column::Source => json!(a.source),
            Column::Title => json!(a.title),
            Column::Url => json!(a.url),
            Column::Path => json!(a.path),
            Column::Countries => json!(a.countries),
            Column::Actors => json!(a.actors),
            Column::Snippet => json!(hit.snippet.text),
        }
    }

    /// The value as one text cell: empty when missing, lists joined with
    /// `; `, the score with three decimals (a decimal comma if asked).
    pub fn text(self, hit: &Hit, decimal_comma: bool) -> String {
        let a = &hit.article;
        match self {
            Column::Rank => hit.rank.to_string(),
            Column::Score => hit.score.map_or_else(String::new, |s| {
                let s = format!("{s:.3}");
                if decimal_comma {
                    s.replace('.', ",")
                } else {
                    s
                }
            }),
            Column::Id => a.id.clone(),
            Column::Date => a
                .date
                .map_or_else(String::new, |d| d.format("%Y-%m-%d").to_string()),
            Column::Source => a.source.clone().unwrap_or_default(),
            Column::Title => a.title.clone().unwrap_or_default(),
            Column::Url => a.url.clone().unwrap_or_default(),
            Column::Path => a.path.clone(),
            Column::Countries => a.countries.join(LIST_SEPARATOR),
            Column::Actors => a.actors.join(LIST_SEPARATOR),
            Column::Snippet => hit.snippet.text.clone(),
        }
    }
}

/// A score as JSON with the three decimals it has (`21.266`, not the
/// `21.265999794006348` of the `f32` widened to `f64`); `null` without one.
pub fn score_json(score: Option<f32>) -> Value {
    score
        .and_then(|s| format!("{s:.3}").parse::<f64>().ok())
        .map_or(Value::Null, |s| json!(s))
}

/// The columns picked, or all of them when none were.
pub fn or_all(fields: &[Column]) -> &[Column] {
    if fields.is_empty() {
        &Column::ALL
    } else {
        fields
    }
}

/// The hit as a JSON object with these columns, in this order.
pub fn hit_object(hit: &Hit, columns: &[Column]) -> Value {
    Value::Object(
        columns
            .iter()
            .map(|c| (c.name().to_string(), c.json(hit)))
            .collect(),
    )
}
