//! The command line as an operator uses it.

use std::io::{BufRead, BufReader, Write};
use std::process::{Command, Stdio};

use crate::harness::{Cli, SAMPLE, stderr, stdout};

#[test]
fn init_prints_a_one_time_password_and_refuses_to_run_twice() {
    let cli = Cli::new();
    let out = cli.init();
    assert!(out.contains("One-time password"), "{out}");
    assert!(cli.data_dir().join("liaison.toml").exists());
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(cli.data_dir().join("node-signing.key"))
            .unwrap()
            .permissions()
            .mode();
        assert_eq!(mode & 0o777, 0o600);
    }
    let again = cli.run(&["init"]);
    assert!(!again.status.success());
    assert!(
        stderr(&again).contains("already a node's data directory"),
        "{}",
        stderr(&again)
    );
}

#[test]
fn commands_before_init_say_what_to_do() {
    let cli = Cli::new();
    let out = cli.run(&["import", SAMPLE]);
    assert!(!out.status.success());
    assert!(
        stderr(&out).contains("run `liaison init"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn newcomer_path_init_import_serve_and_fetch_with_a_token() {
    let cli = Cli::new();
    cli.init();
    let imported = cli.ok(&["import", SAMPLE]);
    assert!(
        imported.contains("imported 8 records (8 new, 0 updated), rejected 0"),
        "{imported}"
    );
    cli.ok(&["user", "add", "--username", "anna", "--role", "analyst"]);
    let token = cli
        .ok(&["token", "create", "--username", "anna"])
        .trim()
        .to_owned();
    assert!(token.starts_with("lt_"), "{token}");

    let mut server = Command::new(env!("CARGO_BIN_EXE_liaison"))
        .arg("--data-dir")
        .arg(cli.data_dir())
        .args(["serve", "--listen", "127.0.0.1:0"])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut first_line = String::new();
    BufReader::new(server.stdout.take().unwrap())
        .read_line(&mut first_line)
        .unwrap();
    let url = first_line
        .split("http://")
        .nth(1)
        .and_then(|s| s.split_whitespace().next())
        .unwrap()
        .to_owned();

    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    // reqwest uses rustls with the process's provider, which this test process must choose.
    liaison_crypto::install_crypto_provider();
    let (status, body) = runtime.block_on(async {
        let response = reqwest::Client::new()
            .get(format!("http://{url}/api/v1/records/person/p1?purpose=criminal_investigation&case_ref=OP-LANTERN"))
            .bearer_auth(&token)
            .send()
            .await
            .unwrap();
        (response.status(), response.json::<serde_json::Value>().await.unwrap())
    });
    server.kill().unwrap();
    server.wait().unwrap();
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["names"][0]["full"], "Владимир Щербаков");
    assert_eq!(body["owner"], "node-a");
    assert_eq!(body["handling"]["code"], "H0");
    let verified = cli.ok(&["audit", "verify"]);
    assert!(verified.starts_with("audit log intact"), "{verified}");
}

#[test]
fn bad_lines_are_reported_with_line_and_field_and_skipped() {
    let cli = Cli::new();
    cli.init();
    let file = cli.file(
        "bad.jsonl",
        concat!(
            "{\"liaison_format\":1}\n",
            "{\"type\":\"person\",\"id\":\"p1\",\"names\":[{\"full\":\"Anna Schmidt\"}],\"birth_dates\":[\"1990-02-30\"]}\n",
            "{\"type\":\"person\",\"id\":\"p2\",\"names\":[{\"full\":\"Jean Dupont\"}],\"nationalities\":[\"FRX\"]}\n",
            "{\"type\":\"spaceship\",\"id\":\"s1\"}\n",
            "{\"type\":\"document\",\"id\":\"d1\",\"kind\":\"P\",\"number\":\"X1\",\"issuing_country\":\"FRA\",\"holder\":\"p999\"}\n",
            "{\"type\":\"person\",\"id\":\"p3\",\"names\":[{\"full\":\"Maria Rossi\"}]\n",
            "\n",
            "{\"type\":\"person\",\"id\":\"p4\",\"names\":[{\"full\":\"Good Person\"}],\"shoe_size\":44}\n",
            "{\"type\":\"document\",\"id\":\"d2\",\"kind\":\"P\",\"number\":\"X2\",\"issuing_country\":\"FRA\",\"holder\":\"p1\"}\n",
        )
        .as_bytes(),
    );
    let out = cli.run(&["import", &file]);
    assert_eq!(out.status.code(), Some(2), "partial import exits 2");
    let err = stderr(&out);
    for expected in [
        "error: line 2, field `birth_dates[0]`: `1990-02-30` is not a valid date",
        "error: line 3, field `nationalities[0]`: `FRX` is not a valid country code",
        "error: line 4, field `type`: `spaceship` is not one of",
        "error: line 5, field `holder`: `p999` is neither in this input nor on this node (dangling reference)",
        "error: line 6: not valid JSON",
        "warning: line 8, field `shoe_size`: unknown field",
        // d2's holder p1 was rejected on line 2, so d2 dangles too.
        "error: line 9, field `holder`: `p1` is neither in this input",
    ] {
        assert!(err.contains(expected), "missing {expected:?} in:\n{err}");
    }
    assert!(
        stdout(&out).contains("imported 1 records"),
        "{}",
        stdout(&out)
    );
    assert_eq!(cli.exported().len(), 1);
}

#[test]
fn strict_mode_stores_nothing_from_a_file_with_one_bad_line() {
    let cli = Cli::new();
    cli.init();
    let mut text = std::fs::read_to_string(SAMPLE).unwrap();
    text.push_str(
        "{\"type\":\"person\",\"id\":\"px\",\"names\":[{\"full\":\"X\"}],\"sex\":\"male\"}\n",
    );
    let file = cli.file("one-bad.jsonl", text.as_bytes());
    let out = cli.run(&["import", "--strict", &file]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("line 10, field `sex`"),
        "{}",
        stderr(&out)
    );
    assert!(stdout(&out).contains("nothing from"), "{}", stdout(&out));
    assert!(cli.exported().is_empty());

    let unknown = cli.file(
        "unknown.jsonl",
        b"{\"type\":\"person\",\"id\":\"p1\",\"names\":[{\"full\":\"X\"}],\"colour\":\"red\"}\n",
    );
    let out = cli.run(&["import", "--strict", &unknown]);
    assert_eq!(
        out.status.code(),
        Some(1),
        "unknown fields are errors in strict mode"
    );
    assert!(
        stderr(&out).contains("error: line 1, field `colour`: unknown field"),
        "{}",
        stderr(&out)
    );
    assert!(cli.exported().is_empty());
}

#[test]
fn a_100_mb_line_is_refused_with_its_number_without_holding_it() {
    let cli = Cli::new();
    cli.init();
    let path = cli.dir.path().join("huge.jsonl");
    {
        let mut file = std::io::BufWriter::new(std::fs::File::create(&path).unwrap());
        writeln!(
            file,
            "{{\"type\":\"person\",\"id\":\"p1\",\"names\":[{{\"full\":\"Small Person\"}}]}}"
        )
        .unwrap();
        write!(
            file,
            "{{\"type\":\"person\",\"id\":\"p2\",\"names\":[{{\"full\":\""
        )
        .unwrap();
        let chunk = vec![b'A'; 1024 * 1024];
        for _ in 0..100 {
            file.write_all(&chunk).unwrap();
        }
        writeln!(file, "\"}}]}}").unwrap();
        writeln!(
            file,
            "{{\"type\":\"person\",\"id\":\"p3\",\"names\":[{{\"full\":\"After Huge\"}}]}}"
        )
        .unwrap();
    }
    let out = cli.run(&["import", "--strict", path.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert!(
        err.contains("error: line 2: the line is 1048576")
            && err.contains("bytes long, the limit is 1048576"),
        "{err}"
    );
    assert!(cli.exported().is_empty(), "strict: nothing stored");
    let out = cli.run(&["import", path.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(
        cli.exported().len(),
        2,
        "the lines around the huge one are imported"
    );
}

#[test]
fn binary_and_empty_input() {
    let cli = Cli::new();
    cli.init();
    let prefix = b"{\"type\":\"person\",\"id\":\"p1\",\"names\":[{\"full\":\"A";
    let mut line = prefix.to_vec();
    line.extend_from_slice(b"\xff\"}]}\n");
    let binary = cli.file("binary.jsonl", &line);
    let out = cli.run(&["import", &binary]);
    let expected = format!(
        "line 1: not UTF-8 text (invalid byte at offset {} of the line)",
        prefix.len()
    );
    assert!(stderr(&out).contains(&expected), "{}", stderr(&out));
    let empty = cli.file("empty.jsonl", b"");
    assert!(cli.ok(&["import", &empty]).contains("imported 0 records"));
    let missing = cli.run(&["import", "/nonexistent/file.jsonl"]);
    assert!(
        stderr(&missing).contains("cannot read /nonexistent/file.jsonl"),
        "{}",
        stderr(&missing)
    );
    let header = cli.file("v2.jsonl", b"{\"liaison_format\":2}\n");
    let out = cli.run(&["import", &header]);
    assert!(
        stderr(&out).contains("line 1, field `liaison_format`: unsupported format header"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn references_resolve_against_the_store_and_reimport_is_idempotent() {
    let cli = Cli::new();
    cli.init();
    cli.ok(&["import", SAMPLE]);
    let later = cli.file("later.jsonl", b"{\"type\":\"document\",\"id\":\"d9\",\"kind\":\"P\",\"number\":\"AB123\",\"issuing_country\":\"RUS\",\"holder\":\"p2\"}\n{\"type\":\"alert\",\"id\":\"a9\",\"category\":\"stolen_document\",\"subject\":{\"type\":\"document\",\"id\":\"d1\"}}\n");
    assert!(
        cli.ok(&["import", &later])
            .contains("imported 2 records (2 new")
    );
    let before = cli.exported();
    assert!(cli.ok(&["import", SAMPLE]).contains("(0 new, 8 updated)"));
    assert_eq!(cli.exported(), before, "re-importing changes nothing");
    let wrong_type = cli.file("wrong.jsonl", b"{\"type\":\"alert\",\"id\":\"a10\",\"category\":\"stolen_vehicle\",\"subject\":{\"type\":\"person\",\"id\":\"p1\"}}\n");
    let out = cli.run(&["import", &wrong_type]);
    assert!(
        stderr(&out)
            .contains("field `subject`: a `person` cannot be referenced here; allowed: vehicle"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn import_export_import_round_trips() {
    let a = Cli::new();
    a.init();
    a.ok(&["import", SAMPLE]);
    let first = a.dir.path().join("first.jsonl");
    a.ok(&["export", "--out", first.to_str().unwrap()]);

    let b = Cli::new();
    b.init();
    assert!(
        b.ok(&["import", "--strict", first.to_str().unwrap()])
            .contains("imported 8 records")
    );
    let second = b.dir.path().join("second.jsonl");
    b.ok(&["export", "--out", second.to_str().unwrap()]);
    assert_eq!(
        std::fs::read_to_string(&first).unwrap(),
        std::fs::read_to_string(&second).unwrap()
    );
    assert!(
        std::fs::read_to_string(&first)
            .unwrap()
            .starts_with("{\"liaison_format\":1}\n")
    );
}

#[test]
fn records_of_another_node_cannot_be_imported() {
    let cli = Cli::new();
    cli.init();
    let file = cli.file(
        "foreign.jsonl",
        b"{\"type\":\"person\",\"id\":\"p1\",\"names\":[{\"full\":\"X\"}],\"owner\":\"node-b\"}\n",
    );
    let out = cli.run(&["import", &file]);
    assert!(
        stderr(&out).contains("field `owner`: the record belongs to node `node-b`"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn persons_from_csv() {
    let cli = Cli::new();
    cli.init();
    let csv = "id,full_name,given,family,birth_date,sex,nationalities,handling,distribution,eye_colour\n\
               c1,Иван Петров,Иван,Петров,1980-05,M,RUS,H1,partners,blue\n\
               c2,Li Wei,,,1979-13-01,F,CHN,,,\n\
               c3,\"Smith, John\",John,Smith,1966,M,GBR;IRL,,,\n";
    let file = cli.file("persons.csv", csv.as_bytes());
    let out = cli.run(&["import", &file]);
    let err = stderr(&out);
    assert!(
        err.contains("warning: line 1, field `eye_colour`: unknown column"),
        "{err}"
    );
    assert!(
        err.contains("error: line 3, field `birth_dates[0]`"),
        "{err}"
    );
    assert!(
        stdout(&out).contains("imported 2 records"),
        "{}",
        stdout(&out)
    );
    let exported = cli.exported().join("\n");
    assert!(exported.contains("\"full\":\"Smith, John\""), "{exported}");
    assert!(
        exported.contains("\"nationalities\":[\"GBR\",\"IRL\"]"),
        "{exported}"
    );
}

#[test]
fn user_add_with_password_from_stdin_and_role_errors() {
    let cli = Cli::new();
    cli.init();
    let mut child = Command::new(env!("CARGO_BIN_EXE_liaison"))
        .arg("--data-dir")
        .arg(cli.data_dir())
        .args([
            "user",
            "add",
            "--username",
            "olga",
            "--role",
            "officer,analyst",
            "--password-stdin",
        ])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(b"correct horse battery staple\n")
        .unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success());
    assert!(
        stdout(&out).contains("roles: officer, analyst"),
        "{}",
        stdout(&out)
    );
    assert!(!stdout(&out).contains("one-time password"));
    let bad = cli.run(&["user", "add", "--username", "x", "--role", "sheriff"]);
    assert!(
        stderr(&bad).contains("--role: `sheriff` is not one of"),
        "{}",
        stderr(&bad)
    );
    let dup = cli.run(&["user", "add", "--username", "olga", "--role", "officer"]);
    assert!(
        stderr(&dup).contains("user `olga` already exists"),
        "{}",
        stderr(&dup)
    );
}

/// Runs SQL against the node's database the way someone with file access would.
fn tamper(cli: &Cli, statements: &[&str]) {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    runtime.block_on(async {
        use sqlx::Connection;
        let mut conn =
            sqlx::SqliteConnection::connect(&format!("sqlite://{}", cli.sqlite_path().display()))
                .await
                .unwrap();
        for statement in statements {
            sqlx::query(sqlx::AssertSqlSafe(*statement))
                .execute(&mut conn)
                .await
                .unwrap();
        }
    });
}

fn tampered_node() -> Cli {
    let cli = Cli::new();
    cli.init();
    cli.ok(&["import", SAMPLE]);
    cli.ok(&["user", "add", "--username", "anna", "--role", "analyst"]);
    cli.ok(&["token", "create", "--username", "anna"]);
    assert!(cli.ok(&["audit", "verify"]).contains("audit log intact"));
    cli
}

fn verify_fails_naming(cli: &Cli, expected: &str) {
    let out = cli.run(&["audit", "verify"]);
    assert_eq!(out.status.code(), Some(1), "{}", stdout(&out));
    assert!(
        stderr(&out).contains(expected),
        "expected {expected:?} in {}",
        stderr(&out)
    );
}

#[test]
fn audit_verify_names_an_altered_entry() {
    let cli = tampered_node();
    tamper(
        &cli,
        &[
            "DROP TRIGGER audit_log_no_update",
            "UPDATE audit_log SET actor = 'someone-else' WHERE seq = 3",
        ],
    );
    verify_fails_naming(&cli, "audit entry 3 was altered");
}

#[test]
fn audit_verify_names_a_removed_entry() {
    let cli = tampered_node();
    tamper(
        &cli,
        &[
            "DROP TRIGGER audit_log_no_delete",
            "DELETE FROM audit_log WHERE seq = 2",
        ],
    );
    verify_fails_naming(&cli, "entry 2");
}

#[test]
fn audit_verify_notices_removed_entries_at_the_end() {
    let cli = tampered_node();
    tamper(
        &cli,
        &[
            "DROP TRIGGER audit_log_no_delete",
            "DELETE FROM audit_log WHERE seq = (SELECT MAX(seq) FROM audit_log)",
        ],
    );
    let out = cli.run(&["audit", "verify"]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
}

#[test]
fn audit_verify_notices_reordered_entries() {
    let cli = tampered_node();
    tamper(
        &cli,
        &[
            "DROP TRIGGER audit_log_no_update",
            "UPDATE audit_log SET seq = 1000000 WHERE seq = 2",
            "UPDATE audit_log SET seq = 2 WHERE seq = 3",
            "UPDATE audit_log SET seq = 3 WHERE seq = 1000000",
        ],
    );
    verify_fails_naming(&cli, "entry 2");
}

#[test]
fn help_explains_each_command() {
    let cli = Cli::new();
    let help = cli.ok(&["--help"]);
    for command in [
        "init", "serve", "import", "export", "user", "token", "audit",
    ] {
        assert!(help.contains(command), "{help}");
    }
    let import_help = cli.ok(&["import", "--help"]);
    assert!(
        import_help.contains("--strict") && import_help.contains("Exit status"),
        "{import_help}"
    );
}

/// The same newcomer path on PostgreSQL, in a fresh database, when CI provides a server.
#[test]
fn a_node_on_postgres_imports_exports_and_verifies() {
    let Ok(admin_url) = std::env::var("LIAISON_TEST_POSTGRES_URL") else {
        eprintln!("skipped: LIAISON_TEST_POSTGRES_URL is not set");
        return;
    };
    let database = format!("liaison_cli_{}", std::process::id());
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let admin = |statement: String| {
        let admin_url = admin_url.clone();
        runtime.block_on(async move {
            use sqlx::Connection;
            let mut conn = sqlx::PgConnection::connect(&admin_url).await.unwrap();
            sqlx::query(sqlx::AssertSqlSafe(statement))
                .execute(&mut conn)
                .await
                .unwrap();
        });
    };
    admin(format!("DROP DATABASE IF EXISTS {database}"));
    admin(format!("CREATE DATABASE {database}"));
    let (base, _) = admin_url.rsplit_once('/').unwrap();
    let url = format!("{base}/{database}");

    let cli = Cli::new();
    let out = cli.ok(&[
        "init",
        "--node-id",
        "node-pg",
        "--country",
        "DEU",
        "--database-url",
        &url,
    ]);
    assert!(out.contains("Database: postgres"), "{out}");
    assert!(
        cli.ok(&["import", SAMPLE])
            .contains("imported 8 records (8 new")
    );
    assert!(cli.ok(&["import", SAMPLE]).contains("(0 new, 8 updated)"));
    assert_eq!(cli.exported().len(), 8);
    assert!(cli.ok(&["audit", "verify"]).contains("audit log intact"));
    admin(format!("DROP DATABASE IF EXISTS {database} WITH (FORCE)"));
}

#[test]
fn an_id_defined_twice_in_one_file_is_an_error_on_the_second_line() {
    let cli = Cli::new();
    cli.init();
    let file = cli.file(
        "twice.jsonl",
        b"{\"type\":\"person\",\"id\":\"p1\",\"names\":[{\"full\":\"First\"}]}\n{\"type\":\"vehicle\",\"id\":\"p1\",\"plate\":\"AB 123\"}\n{\"type\":\"person\",\"id\":\"p1\",\"names\":[{\"full\":\"Second\"}]}\n",
    );
    let out = cli.run(&["import", &file]);
    assert!(
        stderr(&out)
            .contains("error: line 3, field `id`: `person/p1` is already defined on line 1"),
        "{}",
        stderr(&out)
    );
    assert!(
        stdout(&out).contains("imported 2 records"),
        "a vehicle may share a person's id: {}",
        stdout(&out)
    );
    assert!(cli.exported().iter().any(|l| l.contains("\"First\"")));
}
