"""Reading what the scanned tree holds without a crash or a hang, whoever wrote it.

Every stage that turns untrusted bytes into values goes through here: regular files only,
up to a size (``reading``); JSON with huge integers and deep nesting (``safe_json``); YAML
without aliases that expand without limit (``safe_yaml``); patterns on an engine that
does not backtrack (``safe_regex``); and numbers past what an integer conversion holds
(``numbers``).
"""
