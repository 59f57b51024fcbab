"""Rule documentation rendered from the catalog, one text for every place that shows it."""

from __future__ import annotations

import os

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


RULE_PAGES_DIR = "rules/docs"  # relative to the repository root; SARIF helpUri links to the pages there
_PAGE_NOTICE = "<!-- generated from rules/{id}.yaml by `python -m ddblint.catalog.docs`; edit that file instead -->"


def rule_page_path(rule_id: str) -> str:
    return f"{RULE_PAGES_DIR}/{rule_id}.md"


def rule_page(doc: RuleDoc) -> str:
    """The rule's page in the repository, which code scanning links to from each alert."""
    return _PAGE_NOTICE.format(id=doc.id) + "\n\n" + rule_markdown(doc)


def rule_pages() -> dict[str, str]:
    """Every rule page by its path relative to the repository root."""
    from ddblint.catalog.entries import load_catalog

    return {rule_page_path(doc.id): rule_page(doc) for doc in load_catalog().values()}


def write_rule_pages(repository: str) -> None:
    """Write every page, and remove pages of rules no longer in the catalog."""
    directory = os.path.join(repository, RULE_PAGES_DIR)
    os.makedirs(directory, exist_ok=True)
    pages = rule_pages()
    for name in os.listdir(directory):
        if name.endswith(".md") and f"{RULE_PAGES_DIR}/{name}" not in pages:
            os.remove(os.path.join(directory, name))
    for path, text in pages.items():
        with open(os.path.join(repository, path), "w", encoding="utf-8", newline="\n") as handle:
            handle.write(text)


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
    # Run from the repository root: regenerates the README's table and the rule pages.
    import sys

    for name in sys.argv[1:] or ["README.md"]:
        with open(name, encoding="utf-8") as handle:
            original = handle.read()
        with open(name, "w", encoding="utf-8") as handle:
            handle.write(update_readme(original))
    write_rule_pages(".")
