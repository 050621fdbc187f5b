//! The data the enrichment-style demo endpoints answer: a company for a domain, a person for
//! an email. Deterministic (the same input always gets the same answer, on every platform
//! and version) and plausible, so a rows run shows real-looking columns offline.

use serde_json::{Value, json};

/// 64-bit FNV-1a: tiny, stable across versions and platforms (unlike `DefaultHasher`).
pub fn fnv1a(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |hash, byte| {
        (hash ^ u64::from(*byte)).wrapping_mul(0x0100_0000_01b3)
    })
}

/// One of `list`, picked by some bits of `hash`.
fn pick<'a>(list: &[&'a str], hash: u64, shift: u32) -> &'a str {
    let len = list.len() as u64;
    let index = usize::try_from((hash >> shift) % len.max(1)).unwrap_or_default();
    list.get(index).copied().unwrap_or_default()
}

/// `acme` → `Acme`, `big-data` → `Big Data`.
fn title_case(word: &str) -> String {
    word.split(['-', '_', '.'])
        .filter(|w| !w.is_empty())
        .map(|w| {
            let mut chars = w.chars();
            chars.next().map_or_else(String::new, |first| {
                first.to_uppercase().chain(chars).collect::<String>()
            })
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// Where a domain's company sits, from its top-level domain (US for generic ones).
fn country(domain: &str) -> (&'static str, &'static [&'static str]) {
    let tld = domain.rsplit('.').next().unwrap_or_default();
    match tld {
        "de" => ("DE", &["Berlin", "Munich", "Hamburg"]),
        "uk" => ("GB", &["London", "Manchester", "Edinburgh"]),
        "fr" => ("FR", &["Paris", "Lyon", "Toulouse"]),
        "nl" => ("NL", &["Amsterdam", "Rotterdam", "Utrecht"]),
        "jp" => ("JP", &["Tokyo", "Osaka", "Kyoto"]),
        _ => (
            "US",
            &["San Francisco", "New York", "Austin", "Boston", "Seattle"],
        ),
    }
}

/// The company behind a (normalised, lower-case) domain.
pub fn company_for(domain: &str) -> Value {
    let hash = fnv1a(domain.as_bytes());
    let stem = domain.split('.').next().unwrap_or(domain);
    let suffix = pick(
        &["Inc.", "Labs", "Group", "GmbH", "Ltd", "Technologies"],
        hash,
        8,
    );
    let (country, cities) = country(domain);
    let employees = [
        (8, "1-10"),
        (35, "11-50"),
        (120, "51-200"),
        (640, "201-1000"),
        (2300, "1001-5000"),
        (12_000, "5000+"),
    ];
    let size = usize::try_from((hash >> 16) % 6).unwrap_or_default();
    let (headcount, range) = employees.get(size).copied().unwrap_or((8, "1-10"));
    let industry = pick(
        &[
            "Software",
            "Financial Services",
            "Healthcare",
            "Retail",
            "Manufacturing",
            "Education",
            "Logistics",
            "Media",
        ],
        hash,
        24,
    );
    json!({
        "domain": domain,
        "name": format!("{} {suffix}", title_case(stem)),
        "industry": industry,
        "employees": headcount + (hash >> 40) % 7,
        "employees_range": range,
        "founded": 1965 + (hash >> 32) % 58,
        "country": country,
        "city": pick(cities, hash, 48),
        "linkedin_url": format!("https://www.linkedin.com/company/{stem}"),
        "tags": [industry.to_lowercase(), pick(&["b2b", "b2c", "saas", "marketplace"], hash, 56)],
        "source": "patchcord sandbox (deterministic demo data)",
    })
}

/// Mail providers whose addresses belong to no company: no person is found for them.
const PERSONAL_MAIL: &[&str] = &["gmail.com", "yahoo.com", "outlook.com", "hotmail.com"];

/// The person behind an email (`ann.lee@acme.com`), or `None` for a personal mailbox.
pub fn person_for(email: &str) -> Option<Value> {
    let (local, domain) = email.split_once('@')?;
    if PERSONAL_MAIL.contains(&domain) {
        return None;
    }
    let hash = fnv1a(email.as_bytes());
    let mut names = local.split(['.', '_', '-', '+']).filter(|w| !w.is_empty());
    let first = names.next().map_or_else(|| "Alex".to_owned(), title_case);
    let last = names.next().map_or_else(
        || {
            pick(
                &["Smith", "Garcia", "Chen", "Müller", "Okafor", "Novak"],
                hash,
                4,
            )
            .to_owned()
        },
        title_case,
    );
    let company = company_for(domain);
    let seniority = pick(
        &["entry", "senior", "manager", "director", "vp", "c_suite"],
        hash,
        12,
    );
    let role = pick(
        &["Engineering", "Sales", "Marketing", "Operations", "Finance"],
        hash,
        20,
    );
    let title = match seniority {
        "entry" => format!("{role} Associate"),
        "senior" => format!("Senior {role} Specialist"),
        "manager" => format!("{role} Manager"),
        "director" => format!("Director of {role}"),
        "vp" => format!("VP {role}"),
        _ => "Chief Executive Officer".to_owned(),
    };
    Some(json!({
        "email": email,
        "first_name": first,
        "last_name": last,
        "full_name": format!("{first} {last}"),
        "title": title,
        "seniority": seniority,
        "department": role.to_lowercase(),
        "company": {"name": company["name"], "domain": domain},
        "location": {"city": company["city"], "country": company["country"]},
        "linkedin_url": format!("https://www.linkedin.com/in/{}-{}", first.to_lowercase(), last.to_lowercase()),
        "source": "patchcord sandbox (deterministic demo data)",
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_company_is_deterministic_and_plausible() {
        let acme = company_for("acme.de");
        assert_eq!(acme, company_for("acme.de"));
        assert!(acme["name"].as_str().unwrap().starts_with("Acme "));
        assert_eq!(acme["country"], "DE");
        assert!(
            acme["founded"]
                .as_u64()
                .is_some_and(|y| (1965..2023).contains(&y))
        );
        assert_ne!(acme, company_for("globex.com"));
    }

    #[test]
    fn a_person_comes_from_the_address_and_its_company() {
        let ann = person_for("ann.lee@acme.com").unwrap();
        assert_eq!(ann["full_name"], "Ann Lee");
        assert_eq!(ann["company"]["domain"], "acme.com");
        assert_eq!(ann["company"]["name"], company_for("acme.com")["name"]);
        assert!(person_for("ann@gmail.com").is_none());
        assert!(person_for("not-an-email").is_none());
    }
}
