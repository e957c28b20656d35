"""Who may read what: access rules, the site secret and partner keys, envelope encryption of
partners-only HTML, and unlock links."""
