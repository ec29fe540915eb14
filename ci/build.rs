//! Build script of the conformance checks: asks the C compiler what `<sys/resource.h>` defines
//! and how its structures are laid out, and writes both that answer and the Rust code that
//! reads the same facts from `resource-sys` and `resource`, each generated from the one list of
//! candidate names, so that adding a name there is the only step needed to have it checked.

use std::env;
use std::fmt::Write as _;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

#[path = "../resource-sys/build/names.rs"]
mod names;

/// How a structure field is declared, which decides how C and Rust can describe it.
#[derive(Clone, Copy)]
enum FieldKind {
    /// An integer; its signedness is checked too.
    Integer,
    /// A structure (`struct timeval`); only its place and size are checked.
    Record,
    /// A `long` that glibc wraps in the `n`th anonymous union of `struct rusage`.
    WrappedInteger(u8),
}

/// A C structure and its fields, in declaration order.
struct Layout {
    name: &'static str,
    fields: &'static [(&'static str, FieldKind)],
}

/// The structures whose layout is checked, every field of each.
const LAYOUTS: &[Layout] = &[
    Layout {
        name: "timeval",
        fields: &[
            ("tv_sec", FieldKind::Integer),
            ("tv_usec", FieldKind::Integer),
        ],
    },
    Layout {
        name: "rlimit",
        fields: &[
            ("rlim_cur", FieldKind::Integer),
            ("rlim_max", FieldKind::Integer),
        ],
    },
    Layout {
        name: "rusage",
        fields: &[
            ("ru_utime", FieldKind::Record),
            ("ru_stime", FieldKind::Record),
            ("ru_maxrss", FieldKind::WrappedInteger(1)),
            ("ru_ixrss", FieldKind::WrappedInteger(2)),
            ("ru_idrss", FieldKind::WrappedInteger(3)),
            ("ru_isrss", FieldKind::WrappedInteger(4)),
            ("ru_minflt", FieldKind::WrappedInteger(5)),
            ("ru_majflt", FieldKind::WrappedInteger(6)),
            ("ru_nswap", FieldKind::WrappedInteger(7)),
            ("ru_inblock", FieldKind::WrappedInteger(8)),
            ("ru_oublock", FieldKind::WrappedInteger(9)),
            ("ru_msgsnd", FieldKind::WrappedInteger(10)),
            ("ru_msgrcv", FieldKind::WrappedInteger(11)),
            ("ru_nsignals", FieldKind::WrappedInteger(12)),
            ("ru_nvcsw", FieldKind::WrappedInteger(13)),
            ("ru_nivcsw", FieldKind::WrappedInteger(14)),
        ],
    },
];

fn main() {
    let out_dir = PathBuf::from(env::var_os("OUT_DIR").expect("cargo sets OUT_DIR"));
    println!("cargo::rerun-if-changed=build.rs");
    println!("cargo::rerun-if-changed=../resource-sys/build/names.rs");

    // The same cfgs as the safe crate, from what resource-sys published.
    println!("{}", names::check_cfg_line());
    println!("cargo::rerun-if-env-changed=DEP_RESOURCE_NAMES");
    let published = env::var("DEP_RESOURCE_NAMES")
        .expect("resource-sys publishes DEP_RESOURCE_NAMES through its `links` key");
    let names = names::decode(&published)
        .unwrap_or_else(|error| panic!("DEP_RESOURCE_NAMES cannot be read: {error}"));
    for cfg in names::cfgs(&names) {
        println!("cargo::rustc-cfg={cfg}");
    }

    // Ask C, then write its answers and the Rust code reading the same facts.
    let report = run_probe(&out_dir);
    let mut generated = c_facts(&report);
    generated.push_str(&rust_facts());
    writeln!(
        generated,
        "/// What resource-sys published as `DEP_RESOURCE_NAMES` for this target.\n\
         pub const PUBLISHED_NAMES: &str = {published:?};"
    )
    .expect("writing to a String cannot fail");
    fs::write(out_dir.join("facts.rs"), generated).expect("OUT_DIR is writable");
}

/// Compiles the probe with the C compiler `cc` picks for the target, runs it and returns what
/// it printed.
fn run_probe(out_dir: &Path) -> String {
    let source = out_dir.join("probe.c");
    let program = out_dir.join("probe");
    fs::write(&source, probe_source()).expect("OUT_DIR is writable");

    // The probe runs here, so it must be built for the machine running the build.
    let target = env::var("TARGET").expect("cargo sets TARGET");
    let host = env::var("HOST").expect("cargo sets HOST");
    assert_eq!(
        target, host,
        "the conformance checks run a C program built for the target, so they are built for \
         the host only; for other targets run `cargo xtask verify`"
    );

    // Compile with the compiler and flags cc would use for the target.
    let compiler = cc::Build::new().cargo_metadata(false).get_compiler();
    let mut compile = compiler.to_command();
    compile.arg(&source).arg("-o").arg(&program);
    let status = compile
        .status()
        .unwrap_or_else(|error| panic!("cannot run the C compiler {compile:?}: {error}"));
    assert!(
        status.success(),
        "the C probe did not compile ({compile:?}); install a C compiler and the C library \
         headers (Debian: `apt-get install gcc libc6-dev`)"
    );

    // Run it and keep what it printed.
    let output = Command::new(&program)
        .output()
        .unwrap_or_else(|error| panic!("cannot run {}: {error}", program.display()));
    assert!(output.status.success(), "{} failed", program.display());
    String::from_utf8(output.stdout).expect("the probe prints ASCII")
}

/// The C program that prints, one line each: every candidate constant with the size,
/// signedness and value of its C type (or that it is absent); the size, alignment and every
/// field of each structure; and the size and signedness of `rlim_t`.
fn probe_source() -> String {
    let mut c = String::from(names::C_PRELUDE);
    c.push_str(
        "#include <stddef.h>\n\
         #include <stdio.h>\n\
         #define SIGNED(expr) ((__typeof__(expr))-1 < 0)\n\
         static void constant(const char *name, size_t size, int is_signed, long long as_signed,\n\
                              unsigned long long as_unsigned) {\n\
             if (is_signed)\n\
                 printf(\"constant %s %zu 1 %lld\\n\", name, size, as_signed);\n\
             else\n\
                 printf(\"constant %s %zu 0 %llu\\n\", name, size, as_unsigned);\n\
         }\n\
         int main(void) {\n",
    );

    // Each candidate: its value under its own C type, or its absence.
    for (name, _) in names::CANDIDATES {
        c.push_str(&format!(
            "#ifdef {name}\n\
             \x20   constant(\"{name}\", sizeof({name}), SIGNED({name}), (long long)({name}), \
             (unsigned long long)({name}));\n\
             #else\n\
             \x20   printf(\"absent {name}\\n\");\n\
             #endif\n"
        ));
    }

    // Each structure, then each of its fields.
    for layout in LAYOUTS {
        let ty = format!("struct {}", layout.name);
        c.push_str(&format!(
            "    printf(\"struct {} %zu %zu\\n\", sizeof({ty}), _Alignof({ty}));\n",
            layout.name
        ));
        for (field, kind) in layout.fields {
            let member = format!("(({ty} *)0)->{field}");
            let signed = match kind {
                FieldKind::Record => "-1".to_string(),
                FieldKind::Integer | FieldKind::WrappedInteger(_) => format!("SIGNED({member})"),
            };
            c.push_str(&format!(
                "    printf(\"field {} {field} %zu %zu %d\\n\", offsetof({ty}, {field}), \
                 sizeof({member}), {signed});\n",
                layout.name
            ));
        }
    }

    // The limit type.
    c.push_str(
        "    printf(\"rlim_t %zu %d\\n\", sizeof(rlim_t), SIGNED((rlim_t)0));\n\
         \x20   return 0;\n\
         }\n",
    );
    c
}

/// The Rust text of the facts C reported: `c_constants`, `c_structs` and `c_rlim_t`.
fn c_facts(report: &str) -> String {
    let mut constants = String::new();
    let mut structs = String::new();
    let mut rlim_t = None;
    for line in report.lines() {
        let words: Vec<&str> = line.split(' ').collect();
        match words.as_slice() {
            ["constant", name, size, signed, value] => writeln!(
                constants,
                "        ({name:?}, Some(Value {{ value: {value}, size: {size}, \
                 signed: {} }})),",
                *signed == "1"
            ),
            ["absent", name] => writeln!(constants, "        ({name:?}, None),"),
            ["struct", name, size, align] => {
                if !structs.is_empty() {
                    structs.push_str("            ],\n        },\n");
                }
                write!(
                    structs,
                    "        Struct {{\n            name: {name:?},\n            size: {size},\n\
                     \x20           align: {align},\n            fields: vec![\n"
                )
            }
            ["field", _, name, offset, size, signed] => writeln!(
                structs,
                "                Field {{ name: {name:?}, offset: {offset}, size: {size}, \
                 signed: {} }},",
                match *signed {
                    "-1" => "None",
                    "1" => "Some(true)",
                    _ => "Some(false)",
                }
            ),
            ["rlim_t", size, signed] => {
                rlim_t = Some(format!(
                    "Scalar {{ size: {size}, signed: {} }}",
                    *signed == "1"
                ));
                Ok(())
            }
            _ => panic!("the C probe printed an unexpected line `{line}`"),
        }
        .expect("writing to a String cannot fail");
    }
    structs.push_str("            ],\n        },\n");
    let rlim_t = rlim_t.expect("the C probe reports rlim_t");
    format!(
        "/// Every candidate name with its value in C, or `None` where C does not define it.\n\
         pub fn c_constants() -> Vec<(&'static str, Option<Value>)> {{\n    vec![\n{constants}    ]\n}}\n\n\
         /// The structures as C lays them out.\n\
         pub fn c_structs() -> Vec<Struct> {{\n    vec![\n{structs}    ]\n}}\n\n\
         /// `rlim_t` as C declares it.\n\
         pub fn c_rlim_t() -> Scalar {{\n    {rlim_t}\n}}\n\n"
    )
}

/// The Rust text that reads the same facts from `resource-sys` and `resource`:
/// `sys_constants`, `safe_constants`, `sys_structs` and `sys_rlim_t`.
fn rust_facts() -> String {
    let mut sys = String::new();
    let mut safe = String::new();
    for (name, _) in names::CANDIDATES {
        for (list, path, wrap) in [
            (&mut sys, "resource_sys", "Value::of"),
            (&mut safe, "resource", "Safe::from"),
        ] {
            write!(
                list,
                "        #[cfg({cfg} = {name:?})]\n        ({name:?}, Some({wrap}({path}::{name}))),\n\
                 \x20       #[cfg(not({cfg} = {name:?}))]\n        ({name:?}, None),\n",
                cfg = names::CFG_NAME
            )
            .expect("writing to a String cannot fail");
        }
    }
    let mut structs = String::new();
    for layout in LAYOUTS {
        let ty = format!("resource_sys::{}", layout.name);
        write!(
            structs,
            "        Struct {{\n            name: {:?},\n            size: core::mem::size_of::<{ty}>(),\n\
             \x20           align: core::mem::align_of::<{ty}>(),\n            fields: vec![\n",
            layout.name
        )
        .expect("writing to a String cannot fail");
        for (field, kind) in layout.fields {
            structs.push_str(&rust_field(&ty, field, *kind));
        }
        structs.push_str("            ],\n        },\n");
    }
    format!(
        "/// Every candidate name with resource-sys's constant, or `None` where it has none.\n\
         pub fn sys_constants() -> Vec<(&'static str, Option<Value>)> {{\n    vec![\n{sys}    ]\n}}\n\n\
         /// Every candidate name with the safe crate's constant, or `None` where it has none.\n\
         pub fn safe_constants() -> Vec<(&'static str, Option<Safe>)> {{\n    vec![\n{safe}    ]\n}}\n\n\
         /// The structures as resource-sys lays them out.\n\
         pub fn sys_structs() -> Vec<Struct> {{\n    vec![\n{structs}    ]\n}}\n\n\
         /// `rlim_t` as resource-sys declares it.\n\
         pub fn sys_rlim_t() -> Scalar {{\n    Scalar::of::<resource_sys::rlim_t>()\n}}\n\n"
    )
}

/// The `Field::of` expression describing `field` of the Rust structure `ty`; a field glibc
/// wraps in an anonymous union is reached through the union where the bindings have it.
fn rust_field(ty: &str, field: &str, kind: FieldKind) -> String {
    let of = |path: &str| {
        format!(
            "Field::of({field:?}, core::mem::offset_of!({ty}, {path}), \
             |s: &{ty}| &raw const s.{path})"
        )
    };
    match kind {
        FieldKind::Integer | FieldKind::Record => format!("                {},\n", of(field)),
        FieldKind::WrappedInteger(union) => format!(
            "                #[cfg({cfg} = {unions:?})]\n                {},\n\
             \x20               #[cfg(not({cfg} = {unions:?}))]\n                {},\n",
            of(&format!("__bindgen_anon_{union}.{field}")),
            of(field),
            cfg = names::CFG_NAME,
            unions = names::RUSAGE_UNIONS,
        ),
    }
}
