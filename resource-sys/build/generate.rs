//! The bindgen configuration that turns `<sys/resource.h>` into Rust, shared by the build
//! script and by `cargo xtask bindings`, so that checked-in and freshly generated bindings
//! come from one piece of code.

use crate::names;

/// Keeps only the candidate names under their C spelling.
#[derive(Debug)]
struct Rename;

impl bindgen::callbacks::ParseCallbacks for Rename {
    fn item_name(&self, item: bindgen::callbacks::ItemInfo<'_>) -> Option<String> {
        item.name
            .strip_prefix(names::PROBE_PREFIX)
            .map(str::to_string)
    }
}

/// Generates the bindings for `target` (a Rust target triple, passed to clang as its own
/// `--target`), with `clang_args` added after it (for example `-isystem` directories).
///
/// The text is formatted and deterministic: the same headers give the same bytes.
pub fn bindings(target: &str, clang_args: &[String]) -> Result<String, String> {
    let clang_target = clang_target(target);

    // Probe every candidate name, and bind only the items the crate exposes.
    let builder = bindgen::Builder::default()
        .header_contents("resource_sys.h", &names::probe_header())
        .clang_arg(format!("--target={clang_target}"))
        .clang_args(clang_args)
        .allowlist_var(format!(
            "{}.*|{}.*",
            names::PROBE_PREFIX,
            names::BITS_PREFIX
        ))
        .allowlist_function(names::FUNCTIONS.join("|"))
        .allowlist_type(names::TYPES.join("|"))
        .parse_callbacks(Box::new(Rename));

    // Plain, no_std, deterministic output.
    let builder = builder
        .use_core()
        .ctypes_prefix("core::ffi")
        .generate_comments(false)
        .layout_tests(true)
        .derive_default(true)
        .derive_debug(true)
        .derive_eq(true)
        .default_enum_style(bindgen::EnumVariation::ModuleConsts)
        .sort_semantically(true)
        .merge_extern_blocks(true)
        .formatter(bindgen::Formatter::Prettyplease);

    let bindings = builder
        .generate()
        .map_err(|error| format!("bindgen failed for {target}: {error}"))?;
    let text = inline_wide_constants(&bindings.to_string())
        .map_err(|error| format!("bindings for {target}: {error}"))?;
    Ok(format!("{}{text}", header(target)))
}

/// The lines every bindings file opens with.
fn header(target: &str) -> String {
    format!(
        "// Bindings to <sys/resource.h> for {target}, written by bindgen through \
         resource-sys/build/generate.rs.\n\
         // Do not edit by hand: regenerate with `cargo xtask bindings`.\n"
    )
}

/// Turns the `rlim_t` constants bindgen could not evaluate into constants.
///
/// Bindgen evaluates a constant only when its value fits in `i64`; an unsigned 64-bit value
/// above that (glibc's and musl's `RLIM_INFINITY`, for one) comes out as an extern static.
/// Each such static is replaced by a constant of the same C type whose value is the bits of
/// its signed twin, declared by the probe header under [`names::BITS_PREFIX`].
fn inline_wide_constants(text: &str) -> Result<String, String> {
    let (bits, text) = take_bits_probes(text)?;
    let mut kept = Vec::new();
    let mut constants = Vec::new();
    let mut lines = text.lines().peekable();
    while let Some(line) = lines.next() {
        let link = format!("#[link_name = \"\\u{{1}}{}", names::PROBE_PREFIX);
        if !line.trim_start().starts_with(&link) {
            kept.push(line.to_string());
            continue;
        }

        // The next line is `pub static NAME: TYPE;`.
        let declaration = lines.next().unwrap_or_default().trim();
        let (name, ty) = declaration
            .strip_prefix("pub static ")
            .and_then(|rest| rest.strip_suffix(';'))
            .and_then(|rest| rest.split_once(": "))
            .ok_or_else(|| format!("unexpected probe declaration `{declaration}`"))?;
        let value = bits
            .iter()
            .find(|(bits_name, _)| bits_name == name)
            .map(|(_, value)| *value)
            .ok_or_else(|| format!("`{name}` could not be evaluated"))?;
        constants.push(format!("pub const {name}: {ty} = {};", value as u64));
    }
    let mut out = kept.join("\n");
    out.push('\n');
    for constant in constants {
        out.push_str(&constant);
        out.push('\n');
    }
    if out.contains(names::PROBE_PREFIX) {
        return Err("a probe was left under its probe name".to_string());
    }
    Ok(out)
}

/// Removes the `BITS_PREFIX` constants from the text and returns their values by name.
fn take_bits_probes(text: &str) -> Result<(Vec<(String, i64)>, String), String> {
    let mut bits = Vec::new();
    let mut rest = Vec::new();
    let prefix = format!("pub const {}", names::BITS_PREFIX);
    for line in text.lines() {
        let Some(probe) = line.trim_start().strip_prefix(&prefix) else {
            rest.push(line);
            continue;
        };
        let (name, value) = probe
            .split_once(':')
            .zip(probe.rsplit_once(" = "))
            .map(|((name, _), (_, value))| (name, value.trim_end_matches(';')))
            .ok_or_else(|| format!("unexpected probe line `{line}`"))?;
        let value: i64 = value
            .parse()
            .map_err(|_| format!("unexpected value in `{line}`"))?;
        bits.push((name.to_string(), value));
    }
    Ok((bits, rest.join("\n")))
}

/// The triple clang understands for a Rust target triple.
pub fn clang_target(target: &str) -> String {
    let mut parts: Vec<&str> = target.split('-').collect();
    // Rust spells some CPUs and vendors differently from clang.
    if let Some(arch) = parts.first_mut() {
        *arch = match *arch {
            "riscv64gc" => "riscv64",
            "riscv32gc" | "riscv32imac" | "riscv32imc" => "riscv32",
            other => other,
        };
    }
    if target.ends_with("-apple-darwin") {
        return target.replace("-apple-darwin", "-apple-macosx11.0");
    }
    parts.join("-")
}
