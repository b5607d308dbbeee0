//! The 200 body of `GET /social-media-posting/oauth/{locationId}/instagram/accounts/{accountId}`
//! with any number of accounts, shaped like the spec's example.

/// The JSON body with `accounts` accounts; deterministic, so runs compare.
pub fn accounts(accounts: usize) -> Vec<u8> {
    let mut out = String::with_capacity(64 + accounts * 150);
    out.push_str(
        r#"{"success":true,"statusCode":200,"message":"Fetched Instagram Account","results":{"accounts":["#,
    );
    for i in 0..accounts {
        if i > 0 {
            out.push(',');
        }
        out.push_str(&format!(
            r#"{{"id":"idu37swmmLbA02zgqKPp{i:06}","name":"Insta account {i}","avatar":"https://cdn.example.com/avatars/avau37swmmLbA02zgqKPp{i:06}.png","pageId":"pidu37swmmLbA02zgqKPp{i:06}","isConnected":{}}}"#,
            i % 3 != 0
        ));
    }
    out.push_str("]}}");
    out.into_bytes()
}
