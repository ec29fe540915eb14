//! Reads a checked-in bindings file back: its constants, type aliases, structures and the
//! sizes, alignments and offsets bindgen recorded in its layout tests, and works out the
//! layout of each C structure field by field, anonymous unions included.

use std::collections::BTreeMap;

use anyhow::{anyhow, bail, Context, Result};

use crate::names;

/// A constant of the bindings: its name, Rust type and value.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Constant {
    /// The C name.
    pub name: String,
    /// The Rust type as written, for example `core::ffi::c_int`.
    pub ty: String,
    /// The value.
    pub value: i128,
}

/// What bindgen wrote for one target, as far as the checks need it.
#[derive(Debug, Default)]
pub struct Bindings {
    /// The probed constants, in file order.
    pub constants: Vec<Constant>,
    /// `pub type NAME = TYPE;` aliases.
    aliases: BTreeMap<String, String>,
    /// Structures and unions: their fields in order, with their Rust types.
    records: BTreeMap<String, Vec<(String, String)>>,
    /// The layout tests: "Size of X", "Alignment of X", "Offset of field: X::f" to bytes.
    layout: BTreeMap<String, u64>,
}

/// A C type as the checks see it: its size and whether it is signed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Scalar {
    /// Size in bytes.
    pub size: u64,
    /// Whether negative values exist.
    pub signed: bool,
}

/// One member of a C structure, with anonymous unions flattened as C flattens them.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Field {
    /// The C member name.
    pub name: String,
    /// Offset in bytes from the start of the structure.
    pub offset: u64,
    /// Size in bytes.
    pub size: u64,
}

impl Bindings {
    /// Parses bindgen's prettyplease output.
    pub fn parse(text: &str) -> Result<Bindings> {
        let mut bindings = Bindings {
            layout: layout_tests(text)?,
            ..Bindings::default()
        };
        let mut lines = text.lines();
        while let Some(line) = lines.next() {
            if let Some(rest) = line.strip_prefix("pub const ") {
                bindings.add_constant(rest)?;
            } else if let Some(rest) = line.strip_prefix("pub type ") {
                let (name, ty) = split_item(rest, " = ")?;
                bindings.aliases.insert(name, ty);
            } else if let Some(name) = record_name(line) {
                let fields = record_fields(&mut lines)?;
                bindings.records.insert(name, fields);
            }
        }
        Ok(bindings)
    }

    /// Records a root `pub const` line when it is a probed name.
    fn add_constant(&mut self, rest: &str) -> Result<()> {
        let (name, rest) = rest
            .split_once(": ")
            .ok_or_else(|| anyhow!("unexpected constant `{rest}`"))?;
        if !names::CANDIDATES
            .iter()
            .any(|(candidate, _)| *candidate == name)
        {
            return Ok(());
        }
        let (ty, value) = split_item(rest, " = ")?;
        let value = value
            .parse()
            .with_context(|| format!("value of {name}: `{value}`"))?;
        self.constants.push(Constant {
            name: name.to_string(),
            ty,
            value,
        });
        Ok(())
    }

    /// The size and signedness of an integer type, following aliases down to a C type of
    /// `core::ffi`; `long_size` is the size of C `long` on the target.
    pub fn scalar(&self, ty: &str, long_size: u64) -> Result<Scalar> {
        let mut ty = ty;
        while let Some(next) = self.aliases.get(ty) {
            ty = next;
        }
        let base = ty.trim_start_matches("core::ffi::");
        let (signed, size) = match base {
            "c_schar" => (true, 1),
            "c_uchar" => (false, 1),
            "c_short" => (true, 2),
            "c_ushort" => (false, 2),
            "c_int" => (true, 4),
            "c_uint" => (false, 4),
            "c_long" => (true, long_size),
            "c_ulong" => (false, long_size),
            "c_longlong" => (true, 8),
            "c_ulonglong" => (false, 8),
            // Bindgen writes the fixed-width C types as Rust's own.
            "i8" => (true, 1),
            "u8" => (false, 1),
            "i16" => (true, 2),
            "u16" => (false, 2),
            "i32" => (true, 4),
            "u32" => (false, 4),
            "i64" => (true, 8),
            "u64" => (false, 8),
            _ => bail!("`{ty}` is not an integer type the checks know"),
        };
        Ok(Scalar { size, signed })
    }

    /// A value bindgen's layout tests recorded.
    fn recorded(&self, key: &str) -> Result<u64> {
        self.layout
            .get(key)
            .copied()
            .ok_or_else(|| anyhow!("the bindings have no layout test `{key}`"))
    }

    /// The size of `record` as bindgen recorded it.
    pub fn size_of(&self, record: &str) -> Result<u64> {
        self.recorded(&format!("Size of {record}"))
    }

    /// The alignment of `record` as bindgen recorded it.
    pub fn align_of(&self, record: &str) -> Result<u64> {
        self.recorded(&format!("Alignment of {record}"))
    }

    /// Every C member of `record`, with offsets and sizes; the members of anonymous unions
    /// and structures (`__bindgen_anon_N`) appear under their own names, as in C.
    pub fn fields(&self, record: &str, long_size: u64) -> Result<Vec<Field>> {
        let declared = self
            .records
            .get(record)
            .ok_or_else(|| anyhow!("the bindings define no `{record}`"))?;
        let mut fields = Vec::new();
        let mut end: u64 = 0;
        for (name, ty) in declared {
            let size = self.type_size(ty, long_size)?;
            let offset = match self
                .layout
                .get(&format!("Offset of field: {record}::{name}"))
            {
                Some(offset) => *offset,
                // Bindgen records no offset for anonymous members: lay it out as C does.
                None => end.next_multiple_of(self.type_align(ty, long_size)?),
            };
            end = offset + size;
            if name.starts_with("__bindgen_anon_") {
                for inner in self.fields(ty, long_size)? {
                    fields.push(Field {
                        offset: offset + inner.offset,
                        ..inner
                    });
                }
            } else {
                fields.push(Field {
                    name: name.clone(),
                    offset,
                    size,
                });
            }
        }
        Ok(fields)
    }

    /// The size of a field type: an integer, a record, or an array of either.
    fn type_size(&self, ty: &str, long_size: u64) -> Result<u64> {
        if let Some((element, count)) = array(ty)? {
            return Ok(count * self.type_size(element, long_size)?);
        }
        if self.records.contains_key(ty) {
            return self.size_of(ty);
        }
        Ok(self.scalar(ty, long_size)?.size)
    }

    /// The alignment of a field type; an integer is aligned to its size, as on every
    /// target of the list.
    fn type_align(&self, ty: &str, long_size: u64) -> Result<u64> {
        if let Some((element, _)) = array(ty)? {
            return self.type_align(element, long_size);
        }
        if self.records.contains_key(ty) {
            return self.align_of(ty);
        }
        Ok(self.scalar(ty, long_size)?.size)
    }
}

/// Splits `NAME<sep>REST;` into its two parts.
fn split_item(text: &str, separator: &str) -> Result<(String, String)> {
    let (name, rest) = text
        .split_once(separator)
        .ok_or_else(|| anyhow!("unexpected item `{text}`"))?;
    let rest = rest.trim_end_matches(';');
    Ok((name.to_string(), rest.to_string()))
}

/// The name of the structure or union a root line opens, if it does.
fn record_name(line: &str) -> Option<String> {
    let rest = line
        .strip_prefix("pub struct ")
        .or_else(|| line.strip_prefix("pub union "))?;
    rest.strip_suffix(" {").map(str::to_string)
}

/// The `pub name: type,` lines of a record, up to its closing brace.
fn record_fields<'a>(lines: &mut impl Iterator<Item = &'a str>) -> Result<Vec<(String, String)>> {
    let mut fields = Vec::new();
    for line in lines {
        if line == "}" {
            return Ok(fields);
        }
        let field = line.trim().trim_end_matches(',');
        let field = field
            .strip_prefix("pub ")
            .ok_or_else(|| anyhow!("unexpected field `{field}`"))?;
        fields.push(split_item(field, ": ")?);
    }
    bail!("a record is not closed")
}

/// `[T; Nusize]` as `(T, N)`.
fn array(ty: &str) -> Result<Option<(&str, u64)>> {
    let Some(inner) = ty.strip_prefix('[').and_then(|ty| ty.strip_suffix(']')) else {
        return Ok(None);
    };
    let (element, count) = inner
        .split_once("; ")
        .ok_or_else(|| anyhow!("unexpected array type `{ty}`"))?;
    let count = count
        .trim_end_matches("usize")
        .parse()
        .with_context(|| format!("array length in `{ty}`"))?;
    Ok(Some((element, count)))
}

/// The layout tests of bindgen: `["Size of X"][... - 16usize];`, possibly spread over
/// several lines by the formatter.
fn layout_tests(text: &str) -> Result<BTreeMap<String, u64>> {
    let flat: String = text.split_whitespace().collect::<Vec<_>>().join(" ");
    let mut layout = BTreeMap::new();
    for test in flat
        .split("usize];")
        .filter(|test| test.contains("][::core::mem::"))
    {
        let (head, number) = test
            .rsplit_once("- ")
            .ok_or_else(|| anyhow!("unexpected layout test `{test}`"))?;
        let key = head
            .rsplit_once("\"")
            .and_then(|(before, _)| before.rsplit_once('"'))
            .map(|(_, key)| key.to_string())
            .ok_or_else(|| anyhow!("unexpected layout test `{test}`"))?;
        let value = number
            .trim()
            .parse()
            .with_context(|| format!("layout test `{test}`"))?;
        layout.insert(key, value);
    }
    Ok(layout)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{bindings_path, workspace_root};

    fn host() -> Bindings {
        let path = bindings_path(&workspace_root(), "x86_64-unknown-linux-gnu");
        Bindings::parse(&std::fs::read_to_string(path).unwrap()).unwrap()
    }

    #[test]
    fn reads_constants_and_layout_tests() {
        let bindings = host();
        let nofile = bindings
            .constants
            .iter()
            .find(|constant| constant.name == "RLIMIT_NOFILE")
            .unwrap();
        assert_eq!((nofile.ty.as_str(), nofile.value), ("core::ffi::c_int", 7));
        assert_eq!(bindings.size_of("rusage").unwrap(), 144);
        assert_eq!(bindings.align_of("timeval").unwrap(), 8);
        let rlim = bindings.scalar("rlim_t", 8).unwrap();
        assert_eq!(
            rlim,
            Scalar {
                size: 8,
                signed: false
            }
        );
    }

    /// Glibc's anonymous unions are flattened under their C names, at C's offsets.
    #[test]
    fn flattens_anonymous_unions() {
        let fields = host().fields("rusage", 8).unwrap();
        let names: Vec<&str> = fields.iter().map(|field| field.name.as_str()).collect();
        assert_eq!(
            names[..4],
            ["ru_utime", "ru_stime", "ru_maxrss", "__ru_maxrss_word"]
        );
        let nivcsw = fields
            .iter()
            .find(|field| field.name == "ru_nivcsw")
            .unwrap();
        assert_eq!((nivcsw.offset, nivcsw.size), (136, 8));
        assert_eq!(fields.len(), 2 + 14 * 2);
    }
}
