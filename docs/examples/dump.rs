fn main() {
    let path = std::env::args().nth(1).unwrap_or_default();
    let text = std::fs::read_to_string(&path).unwrap_or_default();
    match sdkdocs::page::parse(&text) {
        Ok(page) => println!(
            "{}",
            serde_json::to_string_pretty(&page).unwrap_or_default()
        ),
        Err(err) => println!("refused: {err}"),
    }
}
