//! wordfreq: the most frequent words of the files given (or of stdin), standard library only.
use std::collections::HashMap;
use std::env;
use std::fs;
use std::io::{self, Read};

fn count(text: &str, counts: &mut HashMap<String, usize>) {
    for word in text
        .split(|c: char| !c.is_alphanumeric() && c != '\'')
        .filter(|w| !w.is_empty())
    {
        *counts.entry(word.to_lowercase()).or_insert(0) += 1;
    }
}

fn main() {
    let mut args: Vec<String> = env::args().skip(1).collect();
    let mut top = 10usize;
    if let Some(i) = args.iter().position(|a| a == "--top") {
        top = args.get(i + 1).and_then(|n| n.parse().ok()).unwrap_or(10);
        args.drain(i..(i + 2).min(args.len()));
    }
    let mut counts = HashMap::new();
    if args.is_empty() {
        let mut text = String::new();
        io::stdin().read_to_string(&mut text).expect("reading stdin");
        count(&text, &mut counts);
    }
    for path in &args {
        match fs::read_to_string(path) {
            Ok(text) => count(&text, &mut counts),
            Err(err) => {
                eprintln!("wordfreq: {}: {}", path, err);
                std::process::exit(1);
            }
        }
    }
    let mut pairs: Vec<(String, usize)> = counts.into_iter().collect();
    pairs.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    for (word, n) in pairs.into_iter().take(top) {
        println!("{:>6} {}", n, word);
    }
}
