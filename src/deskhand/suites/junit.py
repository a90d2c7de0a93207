"""JUnit XML for CI: one <testsuite> per suite, one <testcase> per test, a <failure> each."""

from __future__ import annotations

from collections import defaultdict
from xml.etree import ElementTree as ET

from deskhand.suites.runner import CaseResult


def junit_xml(results: list[CaseResult]) -> str:
    suites: dict[str, list[CaseResult]] = defaultdict(list)
    for r in results:
        suites[r.suite].append(r)
    root = ET.Element(
        "testsuites",
        tests=str(len(results)),
        failures=str(sum(not r.passed for r in results)),
        name="deskhand agent tests",
    )
    for name, cases in suites.items():
        node = ET.SubElement(
            root,
            "testsuite",
            name=name,
            tests=str(len(cases)),
            failures=str(sum(not c.passed for c in cases)),
            time=f"{sum(c.seconds for c in cases):.3f}",
        )
        for case in cases:
            tc = ET.SubElement(
                node, "testcase", classname=name, name=case.name, time=f"{case.seconds:.3f}"
            )
            if not case.passed:
                failure = ET.SubElement(tc, "failure", message=case.failures[0][:500])
                failure.text = "\n".join(case.failures)
    return ET.tostring(root, encoding="unicode", xml_declaration=True)
