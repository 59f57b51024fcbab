"""JUnit XML: one test case per finding, one test suite per file, for the CI servers that read it.

Jenkins, Azure DevOps, CircleCI and GitLab's test reports all read the
Ant/Surefire JUnit format, so a finding shows up there as a failed test named
after its rule and resource. A file that could not be parsed (DDB000) and an
internal error are ``<error>`` (the check could not run), every other finding a
``<failure>``. Suppressed findings are left out, or are ``<skipped>`` test cases
with ``--show-suppressed``. Paths are relative to the repository root, as in
every machine-readable report; text from the scanned tree is kept to the
characters XML 1.0 can hold.
"""

from __future__ import annotations

import xml.etree.ElementTree as ElementTree
from collections import defaultdict
from typing import TYPE_CHECKING, TextIO

from ddblint.findings import Finding
from ddblint.repo_paths import RepoPaths
from ddblint.report import ReportOptions
from ddblint.report.escape import plain

if TYPE_CHECKING:
    from ddblint.result import Result

PARSE_ERROR_RULE = "DDB000"


def xml_safe(text: str) -> str:
    """``text`` on one line with every character XML cannot hold, or a terminal or CI runner would act on, escaped.

    A CI server prints a failure's text into its log: a newline followed by ``::error``
    from a table name would be a workflow command there.
    """
    return plain(text)


def render(result: Result, stream: TextIO, options: ReportOptions) -> None:
    stream.write('<?xml version="1.0" encoding="UTF-8"?>\n')
    stream.write(ElementTree.tostring(junit_tree(result, options), encoding="unicode"))
    stream.write("\n")


def junit_tree(result: Result, options: ReportOptions) -> ElementTree.Element:
    paths = RepoPaths.for_scan(result.root)
    cases: dict[str, list[ElementTree.Element]] = defaultdict(list)
    for finding in result.findings:
        if finding.suppressed and not options.show_suppressed:
            continue
        file = paths.display(finding.span.path)
        cases[file].append(_finding_case(finding, file))
    for error in result.internal_errors:
        file = paths.display(error.path)
        case = _case(f"{error.rule_id} internal error", file)
        _child(case, "error", error.message, type="internal-error").text = xml_safe(error.message)
        cases[file].append(case)

    root = ElementTree.Element("testsuites", name="ddblint")
    for file in sorted(cases):
        suite = ElementTree.SubElement(root, "testsuite", name=xml_safe(file))
        suite.extend(cases[file])
        _count(suite, cases[file])
        suite.set("file", xml_safe(file))
    _count(root, [case for suite_cases in cases.values() for case in suite_cases])
    ElementTree.indent(root)
    return root


def _finding_case(finding: Finding, file: str) -> ElementTree.Element:
    span = finding.span
    where = f"{finding.address} (line {span.line})" if finding.address else f"line {span.line}"
    case = _case(f"{finding.rule_id} {finding.rule_name}: {where}", file)
    if finding.suppression is not None:
        reason = finding.suppression.justification or "no reason given"
        _child(case, "skipped", f"suppressed: {reason}")
        return case
    kind = "error" if finding.rule_id == PARSE_ERROR_RULE else "failure"
    detail = _child(case, kind, finding.message, type=f"{finding.rule_id} {finding.severity.label}")
    detail.text = xml_safe(
        f"{file}:{span.line}:{span.column}: {finding.rule_id} [{finding.severity.label}] {finding.message}"
    )
    return case


def _case(name: str, file: str) -> ElementTree.Element:
    return ElementTree.Element("testcase", name=xml_safe(name), classname=xml_safe(file), time="0")


def _child(case: ElementTree.Element, tag: str, message: str, **attributes: str) -> ElementTree.Element:
    return ElementTree.SubElement(case, tag, {"message": xml_safe(message), **attributes})


def _count(element: ElementTree.Element, cases: list[ElementTree.Element]) -> None:
    """The counts the schema requires, from what the test cases hold."""
    outcomes = [child.tag for case in cases for child in case]
    element.set("tests", str(len(cases)))
    element.set("failures", str(outcomes.count("failure")))
    element.set("errors", str(outcomes.count("error")))
    if element.tag == "testsuite":
        element.set("skipped", str(outcomes.count("skipped")))
    element.set("time", "0")
