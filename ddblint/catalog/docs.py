"""Rule documentation rendered from the catalog, one text for every place that shows it."""

from __future__ import annotations

from ddblint.catalog.entries import RuleDoc


def rule_markdown(doc: RuleDoc) -> str:
    """The rule as Markdown: used by ``ddblint rule``, SARIF ``help.markdown`` and the README."""
    parts = [
        f"# {doc.id} {doc.name}",
        f"*{doc.severity.label}* — {doc.summary}",
        "## What it does",
        doc.description,
        "## Why it matters",
        doc.rationale,
        "## Example",
        f"```hcl\n{doc.bad_example}\n```",
        "## Use instead",
        f"```hcl\n{doc.good_example}\n```",
        "## How to fix",
        doc.fix,
    ]
    if doc.options:
        lines = [f"- `{o.name}` ({o.type}, default `{o.default}`): {o.description}" for o in doc.options]
        parts += ["## Options", "\n".join(lines)]
    return "\n\n".join(parts) + "\n"


def rule_text(doc: RuleDoc) -> str:
    """The same content as plain text (SARIF ``help.text``)."""
    sections = [
        f"{doc.id} {doc.name} ({doc.severity.label}): {doc.summary}",
        doc.description,
        f"Why it matters: {doc.rationale}",
        f"How to fix: {doc.fix}",
    ]
    return "\n\n".join(sections)


README_START = "<!-- rules-table:start -->"
README_END = "<!-- rules-table:end -->"


def readme_table() -> str:
    """The README's rule table, generated from the catalog."""
    from ddblint.catalog.entries import load_catalog

    rows = ["| id | name | severity | what it flags |", "|---|---|---|---|"]
    for doc in load_catalog().values():
        rows.append(f"| {doc.id} | {doc.name} | {doc.severity.label} | {doc.summary} |")
    return "\n".join(rows)


def update_readme(text: str) -> str:
    """Replace the table between the markers; ``python -m ddblint.catalog.docs README.md`` runs it."""
    start, end = text.index(README_START) + len(README_START), text.index(README_END)
    return text[:start] + "\n" + readme_table() + "\n" + text[end:]


if __name__ == "__main__":
    import sys

    for name in sys.argv[1:]:
        with open(name, encoding="utf-8") as handle:
            original = handle.read()
        with open(name, "w", encoding="utf-8") as handle:
            handle.write(update_readme(original))
