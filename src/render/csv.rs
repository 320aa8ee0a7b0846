//! CSV hit lists: RFC 4180 through the `csv` crate (CRLF line ends, fields
//! quoted when they hold the delimiter, a quote or a line break), UTF-8,
//! a header row; multi-valued fields joined with `; `.
//!
//! `--excel` writes what German Excel opens right on double-click: a UTF-8
//! byte-order mark (else Excel reads Windows-1252), `;` between fields (the
//! list separator of German Windows) and the score with a decimal comma.

use std::io::{self, Write};

use super::columns::{Column, or_all};
use super::stream::{Head, HitWriter, WriterOptions};
use crate::search::Hit;

/// The I/O error itself when there is one (a closed pipe stays a closed pipe).
fn io_error(err: ::csv::Error) -> io::Error {
    match err.into_kind() {
        ::csv::ErrorKind::Io(e) => e,
        kind => io::Error::other(format!("{kind:?}")),
    }
}

pub struct CsvWriter<'a> {
    /// The output until `begin` puts the byte-order mark and hands it to `csv`.
    out: Option<&'a mut dyn Write>,
    csv: Option<::csv::Writer<&'a mut dyn Write>>,
    columns: Vec<Column>,
    excel: bool,
}

impl<'a> CsvWriter<'a> {
    pub fn new(out: &'a mut dyn Write, opts: &WriterOptions) -> CsvWriter<'a> {
        CsvWriter {
            out: Some(out),
            csv: None,
            columns: or_all(&opts.fields).to_vec(),
            excel: opts.excel,
        }
    }

    fn csv(&mut self) -> io::Result<&mut ::csv::Writer<&'a mut dyn Write>> {
        self.csv
            .as_mut()
            .ok_or_else(|| io::Error::other("CSV hit written before begin"))
    }
}

impl HitWriter for CsvWriter<'_> {
    fn begin(&mut self, _head: &Head) -> io::Result<()> {
        let Some(out) = self.out.take() else {
            return Err(io::Error::other("CSV begun twice"));
        };
        if self.excel {
            out.write_all("\u{feff}".as_bytes())?;
        }
        let mut csv = ::csv::WriterBuilder::new()
            .delimiter(if self.excel { b';' } else { b',' })
            .terminator(::csv::Terminator::CRLF)
            .from_writer(out);
        csv.write_record(self.columns.iter().map(|c| c.name()))
            .map_err(io_error)?;
        self.csv = Some(csv);
        Ok(())
    }

    fn hit(&mut self, hit: &Hit) -> io::Result<()> {
        let record: Vec<String> = self
            .columns
            .iter()
            .map(|c| c.text(hit, self.excel))
            .collect();
        self.csv()?.write_record(&record).map_err(io_error)?;
        Ok(())
    }

    fn end(&mut self) -> io::Result<()> {
        self.csv()?.flush()
    }
}
