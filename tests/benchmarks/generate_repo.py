"""Generate a deterministic synthetic Terraform monorepo for ddblint's benchmarks.

The tree stands in for a large organisation's infrastructure repository: team-owned
service root modules under ``services/<team>/<service>/`` (S3 buckets, IAM roles with
``jsonencode`` policies, Lambda functions, queues, security groups with ``dynamic``
blocks, calls to shared modules under ``modules/``), each a hundred-odd lines over
several files, some with a ``terraform.tfvars``. About one module in ten defines DynamoDB tables, and only some of those
keep application data in Terraform with ``aws_dynamodb_table_item``, in the shapes
ddblint is written to catch: ``for_each`` over a big local map, over
``jsondecode(file(...))`` or ``csvdecode(file(...))`` data files, ``count``, fan-out
through a shared module called with ``for_each`` (directly or two levels deep), Terraform
JSON syntax, next to legitimate single seed items. About one module in 500 has a broken
file, sometimes one ddblint must parse and sometimes one its prefilter skips.

That mix is what the "scale" benchmarks measure: ddblint's byte prefilter should skip
the ~90% of modules that never mention items, so a cold run is compared with parsing
every file and with ``grep -r``, and a warm run with its cache. ``--all-items`` takes the
shortcut away (every module holds items) to measure the worst case.

HCL comes out in ``terraform fmt`` layout, so ``terraform fmt -check`` passes on every
file but the broken ones. :func:`generate` returns a :class:`GeneratedRepo` with the
counts, the module directories the prefilter should keep and the broken files.

The output is a pure function of the arguments: every random choice comes from
``random.Random`` seeded by the seed (and the module's index), iteration order is fixed
and nothing records a time, so two runs write byte-identical trees.

Usage::

    python tests/benchmarks/generate_repo.py OUTDIR --modules N [--seed S] [--all-items]
"""

from __future__ import annotations

import argparse
import json
import posixpath
import random
import re
import sys
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, fields
from enum import Enum
from pathlib import Path
from typing import TypeAlias, Union

ITEM_RESOURCE = "aws_dynamodb_table_item"

# --------------------------------------------------------------------------- HCL model


@dataclass(frozen=True)
class Raw:
    """An expression written verbatim: a reference, a call or a template string."""

    text: str


@dataclass(frozen=True)
class Heredoc:
    """An indented heredoc (``<<-MARK``); terraform fmt leaves its lines untouched."""

    lines: tuple[str, ...]
    marker: str = "EOT"


@dataclass(frozen=True)
class Call:
    """A call whose one argument may span lines, as in ``jsonencode({ ... })``."""

    name: str
    arg: Value


Value: TypeAlias = Union[  # noqa: UP007 - a recursive alias needs the string forms
    str, int, bool, None, Raw, Heredoc, Call, "dict[str, Value]", "list[Value]"
]


@dataclass(frozen=True)
class Attr:
    """``name = value`` in a block body or an object constructor."""

    name: str
    value: Value


@dataclass(frozen=True)
class Block:
    """A block such as ``resource "type" "name" { ... }``."""

    kind: str
    labels: tuple[str, ...]
    body: tuple[Node, ...]


@dataclass(frozen=True)
class Comment:
    """A comment kept verbatim, in any of HCL's three styles; may span lines."""

    text: str


@dataclass(frozen=True)
class Blank:
    """An empty line inside a body, which also ends a run of aligned ``=``."""


Node: TypeAlias = Attr | Block | Comment | Blank

INDENT = "  "
_IDENTIFIER = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


def block(kind: str, *labels: str, body: Iterable[Node]) -> Block:
    """Build a block; labels are positional so calls read like the HCL they produce."""
    return Block(kind, labels, tuple(body))


def attrs(**values: Value) -> list[Attr]:
    """Turn keyword arguments into attributes, keeping their order."""
    return [Attr(name, value) for name, value in values.items()]


def quote(text: str) -> str:
    """Quote a literal string; ``${`` and ``%{`` are escaped so it stays a literal."""
    return json.dumps(text.replace("${", "$${").replace("%{", "%%{"))


def object_key(key: str) -> str:
    """Object keys stay bare when they are plain identifiers and are quoted otherwise."""
    return key if _IDENTIFIER.fullmatch(key) else json.dumps(key)


def render_value(value: Value, depth: int) -> str:
    """Render an expression that starts mid-line in a body nested ``depth`` levels deep."""
    if isinstance(value, Raw):
        return value.text
    if isinstance(value, bool):
        return "true" if value else "false"
    if value is None:
        return "null"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, str):
        return quote(value)
    if isinstance(value, Heredoc):
        pad = INDENT * (depth + 1)
        lines = [pad + line if line else "" for line in value.lines]
        return "\n".join([f"<<-{value.marker}", *lines, INDENT * depth + value.marker])
    if isinstance(value, Call):
        return f"{value.name}({render_value(value.arg, depth)})"
    if isinstance(value, list):
        return render_list(value, depth)
    if not value:
        return "{}"
    entries = [Attr(object_key(key), item) for key, item in value.items()]
    if len(entries) == 1 and not isinstance(entries[0].value, (dict, list, Heredoc)):
        inline = render_value(entries[0].value, depth + 1)
        if "\n" not in inline:
            return f"{{ {entries[0].name} = {inline} }}"
    return "{\n" + "\n".join(render_body(entries, depth + 1)) + "\n" + INDENT * depth + "}"


def render_list(values: list[Value], depth: int) -> str:
    """Short lists of one-line values stay on one line; others get one element a line."""
    parts = [render_value(item, depth + 1) for item in values]
    inline = "[" + ", ".join(parts) + "]"
    if all("\n" not in part for part in parts) and len(inline) <= 80:
        return inline
    pad = INDENT * (depth + 1)
    return "[\n" + "".join(f"{pad}{part},\n" for part in parts) + INDENT * depth + "]"


def opens_bracket(value: Value, text: str) -> bool:
    """terraform fmt aligns heredoc attributes but not ones whose brackets span lines."""
    return "\n" in text and not isinstance(value, Heredoc)


def render_body(nodes: Sequence[Node], depth: int) -> list[str]:
    """Render body lines the way terraform fmt formats them.

    fmt aligns the ``=`` of consecutive one-line attributes; a blank line, a comment, a
    nested block or a value whose brackets span lines ends the run. Emitting that layout
    directly keeps ``terraform fmt -check`` clean without running terraform.
    """
    pad = INDENT * depth
    lines: list[str] = []
    run: list[tuple[str, str]] = []

    def flush() -> None:
        width = max((len(name) for name, _ in run), default=0)
        lines.extend(f"{pad}{name.ljust(width)} = {text}" for name, text in run)
        run.clear()

    for node in nodes:
        if isinstance(node, Attr):
            text = render_value(node.value, depth)
            if opens_bracket(node.value, text):
                flush()
                lines.append(f"{pad}{node.name} = {text}")
            else:
                run.append((node.name, text))
            continue
        flush()
        if isinstance(node, Block):
            lines.extend(render_block(node, depth))
        elif isinstance(node, Comment):
            lines.extend(pad + line if line else "" for line in node.text.split("\n"))
        else:
            lines.append("")
    flush()
    return lines


def render_block(node: Block, depth: int) -> list[str]:
    """Render a block header, its body one level deeper, and its closing brace."""
    pad = INDENT * depth
    header = " ".join([node.kind, *(json.dumps(label) for label in node.labels)])
    if not node.body:
        return [f"{pad}{header} {{}}"]
    return [f"{pad}{header} {{", *render_body(node.body, depth + 1), f"{pad}}}"]


def render_file(nodes: Sequence[Node]) -> str:
    """Top-level blocks are separated by one blank line; a comment sticks to what follows."""
    lines: list[str] = []
    for node in nodes:
        if isinstance(node, Block):
            lines.extend(render_block(node, 0))
            lines.append("")
        elif isinstance(node, Comment):
            lines.extend(node.text.split("\n"))
    return "\n".join(lines).rstrip("\n") + "\n"


# ----------------------------------------------------------------------- module drafts


class _Unset(Enum):
    """Marks a variable without a default, since ``None`` is a real default (``null``)."""

    UNSET = 0


UNSET = _Unset.UNSET


@dataclass(frozen=True)
class ModuleCall:
    """A call to a local module, kept so relevance and item counts can follow it.

    ``instances`` is how many module instances the call makes; ``entries`` is how many
    records each instance hands on to the one-item module (the two-level fan-out),
    since that inner ``for_each`` is sized by the caller's argument, not by the callee.
    """

    file: str
    target: str
    instances: int
    entries: int = 0


@dataclass
class ModuleDraft:
    """A module being assembled: HCL nodes per file, verbatim files, and what it holds.

    Components add to a draft instead of writing files, so one module's files can be
    filled by several components and still come out as one ``locals`` block per file.
    """

    path: str
    nodes: dict[str, list[Node]] = field(default_factory=dict)
    locals: dict[str, list[Attr]] = field(default_factory=dict)
    verbatim: dict[str, str] = field(default_factory=dict)
    items: dict[str, int] = field(default_factory=dict)
    calls: list[ModuleCall] = field(default_factory=list)
    kinds: list[str] = field(default_factory=list)
    table: TableSpec | None = None

    def add(self, file: str, *nodes: Node) -> None:
        """Append nodes to a file, creating it on first use."""
        self.nodes.setdefault(file, []).extend(nodes)

    def local(self, name: str, value: Value, file: str = "locals.tf") -> None:
        """Declare a local value; each file gets a single ``locals`` block."""
        self.locals.setdefault(file, []).append(Attr(name, value))

    def variable(self, name: str, type_: str, default: Value | _Unset = UNSET, description: str = "") -> None:
        """Declare an input variable in ``variables.tf``."""
        body: list[Node] = []
        if description:
            body.append(Attr("description", description))
        body.append(Attr("type", Raw(type_)))
        if default is not UNSET:
            body.append(Attr("default", default))
        self.add("variables.tf", block("variable", name, body=body))

    def output(self, name: str, value: str) -> None:
        """Declare an output in ``outputs.tf`` from a reference expression."""
        self.add("outputs.tf", block("output", name, body=attrs(value=Raw(value))))

    def item(self, file: str, instances: int, node: Block) -> None:
        """Add an item resource block and count the instances it expands to."""
        self.add(file, node)
        self.items[file] = self.items.get(file, 0) + instances

    def add_verbatim(self, file: str, text: str, items: int = 0) -> None:
        """Add a file written as is (a data file, Terraform JSON) holding ``items`` items."""
        self.verbatim[file] = text
        if items:
            self.items[file] = items

    def call(
        self,
        file: str,
        target: str,
        instances: int,
        body: Iterable[Node],
        *,
        label: str = "",
        entries: int = 0,
    ) -> None:
        """Add a ``module`` block whose ``source`` is the target's path from here."""
        label = label or posixpath.basename(target).replace("-", "_")
        source = Attr("source", posixpath.relpath(target, self.path))
        self.add(file, block("module", label, body=[source, *body]))
        self.calls.append(ModuleCall(file, target, instances, entries))

    def render(self) -> dict[str, str]:
        """Render every file; a file's ``locals`` block comes first, tfvars are bare attributes."""
        files: dict[str, str] = {}
        for name in sorted(set(self.nodes) | set(self.locals)):
            nodes = self.nodes.get(name, [])
            if name.endswith(".tfvars"):
                files[name] = "\n".join(render_body(nodes, 0)) + "\n"
                continue
            local_block = [block("locals", body=self.locals[name])] if name in self.locals else []
            files[name] = render_file([*local_block, *nodes])
        files.update(self.verbatim)
        return files


# ------------------------------------------------------------------------ names, data

TEAMS = (
    "payments", "identity", "search", "catalog", "checkout", "growth", "platform",
    "data", "messaging", "fulfilment", "risk", "support", "pricing", "media",
    "notifications", "analytics", "partners", "mobile", "security", "logistics",
)  # fmt: skip
SERVICE_FIRST = (
    "billing", "order", "ledger", "profile", "session", "invoice", "listing", "quote",
    "shipping", "inventory", "review", "payout", "refund", "loyalty", "referral",
    "consent", "audit", "export", "report", "thumbnail", "geo", "tax", "fraud", "token",
)  # fmt: skip
SERVICE_SECOND = (
    "api", "worker", "sync", "gateway", "scheduler", "indexer", "ingest", "processor",
    "router", "poller", "bridge", "collector", "cron", "stream", "webhook", "relay",
)  # fmt: skip
WORDS = (
    "amber", "birch", "cedar", "delta", "ember", "fjord", "grove", "harbor", "indigo",
    "juniper", "kestrel", "lagoon", "meadow", "nimbus", "orchid", "pebble", "quartz",
)  # fmt: skip
REGIONS = ("eu-west-1", "eu-central-1", "us-east-1", "us-west-2", "ap-southeast-2")
SHARED_PLAIN = ("s3-bucket", "iam-role", "sqs-queue")
ITEM_MODULE = "modules/dynamodb-item"
ITEM_SET_MODULE = "modules/dynamodb-item-set"
ITEM_MODULES = (ITEM_MODULE, ITEM_SET_MODULE)


Scalar: TypeAlias = str | int | bool
Record: TypeAlias = dict[str, Scalar]
Records: TypeAlias = dict[str, Record]


@dataclass(frozen=True)
class DataField:
    """One attribute of a generated record: its DynamoDB type and how values are made."""

    name: str
    ddb_type: str
    make: Callable[[random.Random, int], Scalar]


@dataclass(frozen=True)
class DataTheme:
    """A kind of record people keep in Terraform: tenants, users, products, flags."""

    name: str
    key_prefix: str
    fields: tuple[DataField, ...]


def _date(rng: random.Random, _: int) -> str:
    """A fixed-format date from the seed, never from the clock."""
    return f"20{rng.randint(19, 24)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"


THEMES = (
    DataTheme("tenants", "tenant", (
        DataField("plan", "S", lambda r, _: r.choice(("free", "team", "pro", "enterprise"))),
        DataField("home_region", "S", lambda r, _: r.choice(REGIONS)),
        DataField("seats", "N", lambda r, _: r.randint(1, 500)),
    )),
    DataTheme("users", "user", (
        DataField("email", "S", lambda _, i: f"user{i:05d}@example.com"),
        DataField("display_name", "S", lambda r, _: f"{r.choice(WORDS)} {r.choice(WORDS)}"),
        DataField("created_at", "S", _date),
    )),
    DataTheme("products", "sku", (
        DataField("title", "S", lambda r, _: f"{r.choice(WORDS)} {r.choice(SERVICE_SECOND)}"),
        DataField("price_cents", "N", lambda r, _: r.randint(99, 99999)),
        DataField("currency", "S", lambda r, _: r.choice(("EUR", "USD", "GBP"))),
    )),
    DataTheme("flags", "flag", (
        DataField("owner", "S", lambda r, _: r.choice(TEAMS)),
        DataField("enabled", "BOOL", lambda r, _: r.random() < 0.5),
        DataField("rollout_percent", "N", lambda r, _: r.choice((0, 5, 25, 50, 100))),
    )),
)  # fmt: skip


def make_records(rng: random.Random, theme: DataTheme, count: int) -> Records:
    """Records keyed by id, with plain values; each item shape converts them its own way."""
    width = max(4, len(str(count)))
    return {
        f"{theme.key_prefix}-{index:0{width}d}": {f.name: f.make(rng, index) for f in theme.fields}
        for index in range(1, count + 1)
    }


def records_value(records: Records) -> dict[str, Value]:
    """Records as an HCL object constructor, for a local map in the module itself."""
    return {key: {name: value for name, value in record.items()} for key, record in records.items()}


def typed_value(ddb_type: str, value: Scalar) -> dict[str, Value]:
    """DynamoDB JSON for one value: numbers travel as strings, booleans as booleans."""
    if ddb_type == "BOOL":
        return {"BOOL": bool(value)}
    return {ddb_type: csv_cell(value)}


def csv_cell(value: Scalar) -> str:
    """The text of a value as a CSV export or DynamoDB JSON writes it (``true``, ``42``)."""
    return ("true" if value else "false") if isinstance(value, bool) else str(value)


# ------------------------------------------------------------------------- components


def assume_role_policy(principal: str) -> Call:
    """The trust policy every service role needs, shared so roles differ only in principal."""
    statement: dict[str, Value] = {
        "Effect": "Allow",
        "Principal": {"Service": principal},
        "Action": "sts:AssumeRole",
    }
    return Call("jsonencode", {"Version": "2012-10-17", "Statement": [statement]})


def add_base(draft: ModuleDraft, team: str, service: str, rng: random.Random) -> None:
    """Every service root pins providers, names itself and tags everything it creates."""
    versions: list[Node] = [
        Attr("required_version", ">= 1.5.0"),
        block("required_providers", body=attrs(aws={"source": "hashicorp/aws", "version": "~> 5.40"})),
    ]
    provider: list[Node] = [
        Attr("region", Raw("var.region")),
        block("default_tags", body=attrs(tags=Raw("local.common_tags"))),
    ]
    draft.add("versions.tf", Comment(f"# Owned by the {team} team."))
    draft.add("versions.tf", block("terraform", body=versions), block("provider", "aws", body=provider))
    draft.add("main.tf", block("data", "aws_caller_identity", "current", body=[]))
    draft.variable("env", "string", rng.choice(("prod", "staging")), "Deployment environment.")
    draft.variable("region", "string", rng.choice(REGIONS))
    draft.variable("team", "string", team)
    draft.variable("service", "string", service)
    draft.variable("tags", "map(string)", {}, "Extra tags merged into every resource.")
    draft.local("name_prefix", Raw('"${var.team}-${var.service}-${var.env}"'))
    tags: dict[str, Value] = {"Team": Raw("var.team"), "Service": Raw("var.service"), "ManagedBy": "terraform"}
    draft.local("common_tags", Raw("merge(var.tags, local.standard_tags)"))
    draft.local("standard_tags", tags)
    draft.local("account_id", Raw("data.aws_caller_identity.current.account_id"))
    draft.output("name_prefix", "local.name_prefix")


def add_shared_base(draft: ModuleDraft) -> None:
    """A shared module takes its name and tags from the caller instead of from providers."""
    draft.variable("name", "string", description="Name prefix for every resource.")
    draft.variable("tags", "map(string)", {})
    draft.local("name_prefix", Raw("var.name"))
    draft.local("common_tags", Raw("var.tags"))


def add_bucket(draft: ModuleDraft, rng: random.Random) -> None:
    """A versioned, encrypted bucket: the most common resource in any AWS repo."""
    label = rng.choice(("artifacts", "exports", "uploads", "reports", "archive"))
    ref = f"aws_s3_bucket.{label}.id"
    sse = block("apply_server_side_encryption_by_default", body=attrs(sse_algorithm="aws:kms"))
    draft.add(
        "main.tf",
        Comment(f"# Bucket for {label}; versioned so a bad deploy can be rolled back."),
        block("resource", "aws_s3_bucket", label, body=attrs(
            bucket=Raw(f'"${{local.name_prefix}}-{label}"'),
            force_destroy=False,
            tags=Raw("local.common_tags"),
        )),
        block("resource", "aws_s3_bucket_versioning", label, body=[
            Attr("bucket", Raw(ref)),
            block("versioning_configuration", body=attrs(status="Enabled")),
        ]),
        block("resource", "aws_s3_bucket_server_side_encryption_configuration", label, body=[
            Attr("bucket", Raw(ref)),
            block("rule", body=[sse]),
        ]),
    )  # fmt: skip
    draft.output(f"{label}_bucket_arn", f"aws_s3_bucket.{label}.arn")


def add_role(draft: ModuleDraft, rng: random.Random) -> None:
    """An IAM role with an inline ``jsonencode`` policy and optional managed attachments."""
    actions: list[Value] = rng.sample([
        "sqs:SendMessage", "s3:GetObject", "s3:PutObject", "kms:Decrypt",
        "logs:PutLogEvents", "sns:Publish", "ssm:GetParameter",
    ], 3)  # fmt: skip
    statement: dict[str, Value] = {
        "Sid": "ServiceAccess",
        "Effect": "Allow",
        "Action": actions,
        "Resource": Raw('"arn:aws:*:${var.region}:*:${local.name_prefix}-*"'),
    }
    policy = Call("jsonencode", {"Version": "2012-10-17", "Statement": [statement]})
    draft.variable("extra_policy_arns", "list(string)", [], "Managed policies to attach.")
    draft.add(
        "iam.tf",
        Comment("// Role assumed by the service's compute."),
        block("resource", "aws_iam_role", "service", body=[
            Attr("name", Raw('"${local.name_prefix}-service"')),
            Attr("assume_role_policy", assume_role_policy("ecs-tasks.amazonaws.com")),
        ]),
        block("resource", "aws_iam_role_policy", "service", body=[
            *attrs(name="service-access", role=Raw("aws_iam_role.service.id")),
            Attr("policy", policy),
        ]),
        block("resource", "aws_iam_role_policy_attachment", "extra", body=attrs(
            for_each=Raw("toset(var.extra_policy_arns)"),
            role=Raw("aws_iam_role.service.name"),
            policy_arn=Raw("each.value"),
        )),
    )  # fmt: skip
    draft.output("service_role_arn", "aws_iam_role.service.arn")


def add_function(draft: ModuleDraft, rng: random.Random) -> None:
    """A Lambda with its own role, log group and an SSM parameter written as a heredoc."""
    label = rng.choice(("handler", "consumer", "reconciler", "notifier"))
    draft.variable("memory_size", "number", rng.choice((128, 256, 512, 1024)))
    draft.variable("log_level", "string", "INFO")
    config = Heredoc((
        f"{label}:",
        f"  batch_size: {rng.randint(1, 50)}",
        "  retry: exponential",
        "  log_level: ${var.log_level}",
    ), marker="YAML")  # fmt: skip
    draft.add(
        "lambda.tf",
        Comment("/*\n  Runtime code ships from the service's own pipeline;\n"
                "  Terraform only owns the function's configuration.\n*/"),
        block("resource", "aws_iam_role", label, body=[
            Attr("name", Raw(f'"${{local.name_prefix}}-{label}"')),
            Attr("assume_role_policy", assume_role_policy("lambda.amazonaws.com")),
        ]),
        block("resource", "aws_cloudwatch_log_group", label, body=attrs(
            name=Raw(f'"/aws/lambda/${{local.name_prefix}}-{label}"'),
            retention_in_days=rng.choice((14, 30, 90)),
        )),
        block("resource", "aws_lambda_function", label, body=[
            *attrs(
                function_name=Raw(f'"${{local.name_prefix}}-{label}"'),
                role=Raw(f"aws_iam_role.{label}.arn"),
                runtime=rng.choice(("python3.12", "nodejs20.x", "provided.al2023")),
                handler="main.handler",
                filename=Raw('"${path.module}/build/function.zip"'),
                memory_size=Raw("var.memory_size"),
                timeout=rng.choice((10, 30, 60)),
            ),
            block("environment", body=[Attr("variables", {
                "LOG_LEVEL": Raw("var.log_level"),
                "CONFIG_PARAMETER": Raw(f"aws_ssm_parameter.{label}.name"),
            })]),
        ]),
        block("resource", "aws_ssm_parameter", label, body=attrs(
            name=Raw(f'"/${{var.service}}/{label}/config"'),
            type="String",
            value=config,
        )),
    )  # fmt: skip
    draft.output(f"{label}_function_arn", f"aws_lambda_function.{label}.arn")


def add_queue(draft: ModuleDraft, rng: random.Random) -> None:
    """A queue with a dead-letter queue wired through a ``jsonencode`` redrive policy."""
    label = rng.choice(("events", "jobs", "commands"))
    redrive = Call("jsonencode", {
        "deadLetterTargetArn": Raw(f"aws_sqs_queue.{label}_dlq.arn"),
        "maxReceiveCount": rng.choice((3, 5, 10)),
    })  # fmt: skip
    draft.add(
        "queue.tf",
        block("resource", "aws_sqs_queue", f"{label}_dlq", body=attrs(
            name=Raw(f'"${{local.name_prefix}}-{label}-dlq"'),
            message_retention_seconds=1209600,
        )),
        block("resource", "aws_sqs_queue", label, body=[
            *attrs(
                name=Raw(f'"${{local.name_prefix}}-{label}"'),
                visibility_timeout_seconds=rng.choice((30, 60, 300)),
            ),
            Attr("redrive_policy", redrive),
        ]),
    )  # fmt: skip
    draft.output(f"{label}_queue_url", f"aws_sqs_queue.{label}.id")


def add_security_group(draft: ModuleDraft, rng: random.Random) -> None:
    """A security group whose ingress rules come from a variable via a dynamic block."""
    rules: list[Value] = [
        {"port": port, "cidr_blocks": [f"10.{rng.randint(0, 255)}.0.0/16"], "description": name}
        for port, name in rng.sample(((443, "https"), (8080, "app"), (5432, "postgres"),
                                      (6379, "redis"), (9090, "metrics")), 2)
    ]  # fmt: skip
    rule_type = "list(object({ port = number, cidr_blocks = list(string), description = string }))"
    draft.variable("vpc_id", "string", description="VPC the service runs in.")
    draft.add("terraform.tfvars", Attr("vpc_id", f"vpc-{rng.getrandbits(64):016x}"))
    draft.variable("ingress_rules", rule_type, rules)
    ingress = block("dynamic", "ingress", body=[
        Attr("for_each", Raw("var.ingress_rules")),
        block("content", body=attrs(
            description=Raw("ingress.value.description"),
            from_port=Raw("ingress.value.port"),
            to_port=Raw("ingress.value.port"),
            protocol="tcp",
            cidr_blocks=Raw("ingress.value.cidr_blocks"),
        )),
    ])  # fmt: skip
    egress = block("egress", body=attrs(
        from_port=0, to_port=0, protocol="-1", cidr_blocks=["0.0.0.0/0"]
    ))  # fmt: skip
    draft.add(
        "network.tf",
        block("resource", "aws_security_group", "service", body=[
            *attrs(name=Raw('"${local.name_prefix}-sg"'), vpc_id=Raw("var.vpc_id")),
            Blank(),
            ingress,
            egress,
        ]),
    )  # fmt: skip
    draft.output("security_group_id", "aws_security_group.service.id")


def add_shared_call(draft: ModuleDraft, rng: random.Random) -> None:
    """Call a plain shared module, sometimes once per name with ``for_each``."""
    target = f"modules/{rng.choice(SHARED_PLAIN)}"
    if rng.random() < 0.5:
        draft.call("main.tf", target, 1, attrs(
            name=Raw('"${local.name_prefix}-shared"'), tags=Raw("local.common_tags")
        ))  # fmt: skip
        return
    names = sorted(rng.sample(WORDS, rng.randint(2, 4)))
    draft.call("main.tf", target, len(names), attrs(
        for_each=Raw("toset([" + ", ".join(quote(n) for n in names) + "])"),
        name=Raw('"${local.name_prefix}-${each.key}"'),
        tags=Raw("local.common_tags"),
    ))  # fmt: skip


COMPONENTS: tuple[Callable[[ModuleDraft, random.Random], None], ...] = (
    add_bucket, add_role, add_function, add_queue, add_security_group, add_shared_call,
)  # fmt: skip

# ------------------------------------------------------------------ DynamoDB tables


@dataclass(frozen=True)
class TableSpec:
    """A table's resource label and key schema, which item code must agree with."""

    label: str
    hash_key: tuple[str, str]
    range_key: tuple[str, str] | None

    def ref(self, attribute: str) -> Raw:
        """A reference to one of the table resource's attributes."""
        return Raw(f"aws_dynamodb_table.{self.label}.{attribute}")

    def key_args(self) -> list[Attr]:
        """``table_name``/``hash_key``/``range_key`` arguments of an item on this table."""
        args = attrs(table_name=self.ref("name"), hash_key=self.ref("hash_key"))
        if self.range_key:
            args.append(Attr("range_key", self.ref("range_key")))
        return args

    def fixed_range(self) -> tuple[str, str, str] | None:
        """(attribute, type, value) of the constant range key generated items share."""
        if not self.range_key:
            return None
        name, ddb_type = self.range_key
        return name, ddb_type, "1" if ddb_type == "N" else "v1"

    def key_item(self, hash_value: Value) -> dict[str, Value]:
        """The key attributes of an item as DynamoDB JSON, hash value given."""
        item: dict[str, Value] = {self.hash_key[0]: {"S": hash_value}}
        if fixed := self.fixed_range():
            item[fixed[0]] = {fixed[1]: fixed[2]}
        return item


KEY_SCHEMAS: tuple[tuple[tuple[str, str], tuple[str, str] | None], ...] = (
    (("pk", "S"), ("sk", "S")),
    (("id", "S"), None),
    (("tenant_id", "S"), ("record", "S")),
    (("account_id", "S"), ("version", "N")),
    (("name", "S"), None),
)
TABLE_LABELS = ("main", "state", "registry", "settings", "catalog", "accounts")


def add_table(draft: ModuleDraft, rng: random.Random) -> TableSpec:
    """Add the module's table; string hash keys so any item shape can key on ids."""
    hash_key, range_key = rng.choice(KEY_SCHEMAS)
    table = TableSpec(rng.choice(TABLE_LABELS), hash_key, range_key)
    keys = [hash_key] if range_key is None else [hash_key, range_key]
    body: list[Node] = [
        *attrs(
            name=Raw(f'"${{local.name_prefix}}-{table.label}"'),
            billing_mode="PAY_PER_REQUEST",
            hash_key=hash_key[0],
        )
    ]
    if range_key:
        body.append(Attr("range_key", range_key[0]))
    body.append(Blank())
    body.extend(block("attribute", body=attrs(name=n, type=t)) for n, t in keys)
    body.append(block("point_in_time_recovery", body=attrs(enabled=True)))
    if rng.random() < 0.4:
        body.append(block("ttl", body=attrs(attribute_name="expires_at", enabled=True)))
    body.append(Attr("tags", Raw("local.common_tags")))
    draft.add("dynamodb.tf", block("resource", "aws_dynamodb_table", table.label, body=body))
    draft.output(f"{table.label}_table_arn", f"aws_dynamodb_table.{table.label}.arn")
    draft.table = table
    return table


def json_object_lines(pairs: Sequence[tuple[str, str]]) -> tuple[str, ...]:
    """A JSON object one attribute a line, the way people write DynamoDB JSON by hand."""
    body = [f'  "{name}": {text},' for name, text in pairs]
    body[-1] = body[-1].rstrip(",")
    return ("{", *body, "}")


def heredoc_item(table: TableSpec, theme: DataTheme) -> Heredoc:
    """An item as DynamoDB JSON text in a heredoc, interpolating ``each.key``/``each.value``."""
    pairs = [(name, json.dumps(typed)) for name, typed in table.key_item("${each.key}").items()]
    for f in theme.fields:
        ref = f"${{each.value.{f.name}}}"
        pairs.append((f.name, f'{{"{f.ddb_type}": {ref if f.ddb_type == "BOOL" else json.dumps(ref)}}}'))
    return Heredoc(json_object_lines(pairs), marker="ITEM")


def local_field(f: DataField) -> str:
    """A field of a local map record: HCL numbers need ``tostring`` for DynamoDB JSON."""
    return f"tostring(each.value.{f.name})" if f.ddb_type == "N" else f"each.value.{f.name}"


def csv_field(f: DataField) -> str:
    """A field of a ``csvdecode`` row: every cell is a string, so booleans are compared."""
    return f'each.value.{f.name} == "true"' if f.ddb_type == "BOOL" else f"each.value.{f.name}"


def hcl_item(table: TableSpec, theme: DataTheme, field_ref: Callable[[DataField], str]) -> Call:
    """An item as ``jsonencode({...})`` keyed by ``each.key``, fields read by ``field_ref``."""
    item = table.key_item(Raw("each.key"))
    for f in theme.fields:
        item[f.name] = {f.ddb_type: Raw(field_ref(f))}
    return Call("jsonencode", item)


def ddb_records(table: TableSpec, records: Records, theme: DataTheme) -> dict[str, Value]:
    """Records as complete DynamoDB JSON items, keys included, as a data file holds them."""
    out: dict[str, Value] = {}
    for key, record in records.items():
        item = table.key_item(key)
        for f in theme.fields:
            item[f.name] = typed_value(f.ddb_type, record[f.name])
        out[key] = item
    return out


def item_block(label: str, table: TableSpec, head: list[Node], item: Value) -> Block:
    """An item resource: meta-arguments first, then keys, then the item document."""
    body = [*head, *table.key_args(), Attr("item", item)]
    return block("resource", ITEM_RESOURCE, label, body=body)


def add_local_map_items(draft: ModuleDraft, rng: random.Random, table: TableSpec, count: int, prefix: str = "") -> int:
    """``for_each`` over a local map of records declared in the module (the classic case).

    ``prefix`` keeps the names apart when a module already holds a set of the same theme.
    """
    theme = rng.choice(THEMES)
    name = prefix + theme.name
    draft.local(name, records_value(make_records(rng, theme, count)), rng.choice(("locals.tf", "items.tf")))
    head: list[Node] = [Attr("for_each", Raw(f"local.{name}"))]
    item = heredoc_item(table, theme) if rng.random() < 0.5 else hcl_item(table, theme, local_field)
    draft.item("items.tf", count, item_block(name, table, head, item))
    return count


def add_json_file_items(draft: ModuleDraft, rng: random.Random, table: TableSpec, count: int) -> int:
    """``for_each`` over ``jsondecode(file(...))`` of a DynamoDB JSON data file."""
    theme = rng.choice(THEMES)
    records = ddb_records(table, make_records(rng, theme, count), theme)
    data_file = f"data/{theme.name}.json"
    decoded = f'jsondecode(file("${{path.module}}/{data_file}"))'
    payload: object = records
    for_each = Raw(decoded)
    if rng.random() < 0.5:
        payload = list(records.values())
        draft.local(theme.name, Raw(decoded))
        for_each = Raw(f"{{ for r in local.{theme.name} : r.{table.hash_key[0]}.S => r }}")
    draft.add_verbatim(data_file, json.dumps(payload, indent=2) + "\n")
    head: list[Node] = [Comment(f"# Records live in {data_file}."), Attr("for_each", for_each)]
    item = Call("jsonencode", Raw("each.value"))
    draft.item("items.tf", count, item_block(theme.name, table, head, item))
    return count


def add_csv_items(draft: ModuleDraft, rng: random.Random, table: TableSpec, count: int) -> int:
    """``for_each`` over ``csvdecode(file(...))``: a spreadsheet exported into state."""
    theme = rng.choice(THEMES)
    rows = [["id", *(f.name for f in theme.fields)]]
    for key, record in make_records(rng, theme, count).items():
        rows.append([key, *(csv_cell(record[f.name]) for f in theme.fields)])
    data_file = f"data/{theme.name}.csv"
    draft.add_verbatim(data_file, "".join(",".join(row) + "\n" for row in rows))
    decoded = f'csvdecode(file("${{path.module}}/{data_file}"))'
    head: list[Node] = [Attr("for_each", Raw(f"{{ for row in {decoded} : row.id => row }}"))]
    item = hcl_item(table, theme, csv_field)
    draft.item("items.tf", count, item_block(theme.name, table, head, item))
    return count


def add_count_items(draft: ModuleDraft, rng: random.Random, table: TableSpec, count: int) -> int:
    """``count = N`` keyed by ``count.index``; N literal, a variable's default, or tfvars.

    The tfvars case sets a value other than the default, so a count that ignores
    ``terraform.tfvars`` comes out wrong.
    """
    head: list[Node] = [Attr("count", count)]
    if rng.random() < 0.5:
        draft.variable("shard_count", "number", count, "Number of shard records to seed.")
        head = [Attr("count", Raw("var.shard_count"))]
        if rng.random() < 0.5:
            count += rng.randint(5, 50)
            draft.add("terraform.tfvars", Attr("shard_count", count))
    item = table.key_item(Raw('"shard-${count.index}"'))
    item["capacity"] = {"N": Raw("tostring(100 + count.index)")}
    draft.item("items.tf", count, item_block("shards", table, head, Call("jsonencode", item)))
    return count


def fanout_keys(table: TableSpec) -> list[Attr]:
    """The table and key arguments every call of the shared item modules passes."""
    args = attrs(table_name=table.ref("name"), hash_key=table.ref("hash_key"))
    if fixed := table.fixed_range():
        args += attrs(range_key=table.ref("range_key"), range_value=fixed[2])
        if fixed[1] != "S":
            args.append(Attr("range_type", fixed[1]))
    return args


def add_fanout_items(draft: ModuleDraft, rng: random.Random, table: TableSpec, count: int) -> int:
    """A shared one-item module called with ``for_each``: the items hide behind the call."""
    theme = rng.choice(THEMES)
    draft.local(theme.name, records_value(make_records(rng, theme, count)))
    body = [
        Attr("for_each", Raw(f"local.{theme.name}")),
        *fanout_keys(table),
        *attrs(key_value=Raw("each.key"), attributes=Raw("each.value")),
    ]
    draft.call("items.tf", ITEM_MODULE, count, body, label=theme.name)
    return count


def add_nested_fanout_items(draft: ModuleDraft, rng: random.Random, table: TableSpec, count: int) -> int:
    """Fan-out two levels deep: per-stage calls of a module that fans out per record."""
    theme = rng.choice(THEMES)
    draft.local(theme.name, records_value(make_records(rng, theme, count)), "items.tf")
    stages = sorted(rng.sample(("blue", "green", "canary", "shadow"), rng.randint(2, 3)))
    body = [
        Attr("for_each", Raw("toset([" + ", ".join(quote(s) for s in stages) + "])")),
        *fanout_keys(table),
        *attrs(key_prefix=Raw("each.key"), entries=Raw(f"local.{theme.name}")),
    ]
    draft.call("items.tf", ITEM_SET_MODULE, len(stages), body, label=theme.name, entries=count)
    return len(stages) * count


def add_tfjson_items(draft: ModuleDraft, rng: random.Random, table: TableSpec, count: int) -> int:
    """Items in Terraform JSON syntax: a ``for_each`` over literal records plus one default."""
    theme = rng.choice(THEMES)
    records = ddb_records(table, make_records(rng, theme, count), theme)
    keys = {arg.name: "${" + str(render_value(arg.value, 0)) + "}" for arg in table.key_args()}
    defaults = json.dumps(table.key_item("defaults"))
    document = {
        "//": f"{theme.name} reference data, exported from the admin tool.",
        "resource": {ITEM_RESOURCE: {
            theme.name: {"for_each": records, **keys, "item": "${jsonencode(each.value)}"},
            "defaults": {**keys, "item": defaults},
        }},
    }  # fmt: skip
    draft.add_verbatim("items.tf.json", json.dumps(document, indent=2) + "\n", items=count + 1)
    return count + 1


def add_local_and_json_items(draft: ModuleDraft, rng: random.Random, table: TableSpec, count: int) -> int:
    """A map in ``locals.tf`` and a JSON data file in one module, the two shapes teams mix most."""
    total = add_local_map_items(draft, rng, table, count, prefix="local_")
    return total + add_json_file_items(draft, rng, table, rng.randint(50, 500))


def add_seed_items(draft: ModuleDraft, rng: random.Random, table: TableSpec, count: int) -> int:
    """The legitimate pattern: one config entry and a feature flag, seeded once."""
    del count  # a seed is one item whatever the scale
    config = table.key_item("config#global")
    config["max_batch_size"] = {"N": str(rng.choice((25, 50, 100)))}
    flag = table.key_item(f"flag#{rng.choice(WORDS)}")
    flag["enabled"] = {"BOOL": rng.random() < 0.5}
    lifecycle = block("lifecycle", body=attrs(ignore_changes=[Raw("item")]))
    draft.item("seed.tf", 1, block("resource", ITEM_RESOURCE, "global_config", body=[
        Comment("# Seeded once; the application owns the value afterwards."),
        *table.key_args(),
        Attr("item", Heredoc(json_object_lines([(k, json.dumps(v)) for k, v in config.items()]), marker="ITEM")),
        Blank(),
        lifecycle,
    ]))  # fmt: skip
    draft.item("seed.tf", 1, item_block("launch_flag", table, [], Call("jsonencode", flag)))
    return 2


ItemAdder: TypeAlias = Callable[[ModuleDraft, random.Random, TableSpec, int], int]

# Kinds cycle in this order over the table modules, so even a small repo shows each one.
TABLE_KINDS: tuple[tuple[str, ItemAdder | None, tuple[int, int]], ...] = (
    ("local_map", add_local_map_items, (50, 500)),
    ("json_file", add_json_file_items, (50, 500)),
    ("table_only", None, (0, 0)),
    ("count", add_count_items, (20, 150)),
    ("fanout", add_fanout_items, (20, 120)),
    ("seed", add_seed_items, (1, 1)),
    ("csv", add_csv_items, (50, 500)),
    ("tfjson", add_tfjson_items, (15, 40)),
    ("local_and_json", add_local_and_json_items, (50, 500)),
    ("nested_fanout", add_nested_fanout_items, (10, 60)),
)
SMALL_ITEM_SET = (3, 8)


def holds_items(slot: int) -> bool:
    """Whether the table kind at this slot writes items (directly or through a call)."""
    return TABLE_KINDS[slot % len(TABLE_KINDS)][1] is not None


def add_dynamodb(draft: ModuleDraft, rng: random.Random, slot: int | None, all_items: bool) -> None:
    """Add a table and items of the slot's kind (or, with ``all_items``, a small set)."""
    table = draft.table or add_table(draft, rng)
    if slot is not None:
        kind, adder, (low, high) = TABLE_KINDS[slot % len(TABLE_KINDS)]
        draft.kinds.append(kind)
        if adder:
            adder(draft, rng, table, rng.randint(low, high))
    if all_items and not draft.items:
        draft.kinds.append("small_set")
        add_local_map_items(draft, rng, table, rng.randint(*SMALL_ITEM_SET), prefix="bootstrap_")


# ------------------------------------------------------------------- shared modules


def build_item_module() -> ModuleDraft:
    """The one-item module that fan-out callers call with ``for_each``."""
    draft = ModuleDraft(ITEM_MODULE)
    draft.variable("table_name", "string")
    draft.variable("hash_key", "string")
    draft.variable("range_key", "string", None)
    draft.variable("key_value", "string", description="Hash key value of the item.")
    draft.variable("range_value", "string", None)
    draft.variable("range_type", "string", "S", "DynamoDB type of the range key: S or N.")
    draft.variable("attributes", "map(string)", {}, "Further attributes, stored as strings.")
    draft.local("hash_attribute", Raw("{ (var.hash_key) = { S = var.key_value } }"))
    draft.local("range_attribute", Raw(
        "var.range_key == null ? {} : { (var.range_key) = { (var.range_type) = var.range_value } }"
    ))  # fmt: skip
    draft.local("data_attributes", Raw("{ for k, v in var.attributes : k => { S = v } }"))
    merged = Raw("merge(local.hash_attribute, local.range_attribute, local.data_attributes)")
    draft.item("main.tf", 1, block("resource", ITEM_RESOURCE, "this", body=[
        *attrs(table_name=Raw("var.table_name"), hash_key=Raw("var.hash_key"),
               range_key=Raw("var.range_key")),
        Attr("item", Call("jsonencode", merged)),
    ]))  # fmt: skip
    draft.output("key", "var.key_value")
    return draft


def build_item_set_module() -> ModuleDraft:
    """A module that fans out to the one-item module per entry: fan-out one level down."""
    draft = ModuleDraft(ITEM_SET_MODULE)
    draft.variable("table_name", "string")
    draft.variable("hash_key", "string")
    draft.variable("range_key", "string", None)
    draft.variable("range_value", "string", None)
    draft.variable("range_type", "string", "S")
    draft.variable("key_prefix", "string", description="Prefix of every hash key value.")
    draft.variable("entries", "map(map(string))", {})
    draft.call("main.tf", ITEM_MODULE, 0, [
        Attr("for_each", Raw("var.entries")),
        *attrs(table_name=Raw("var.table_name"), hash_key=Raw("var.hash_key"),
               range_key=Raw("var.range_key"), range_value=Raw("var.range_value"), range_type=Raw("var.range_type"),
               key_value=Raw('"${var.key_prefix}#${each.key}"'), attributes=Raw("each.value")),
    ])  # fmt: skip
    draft.output("item_count", "length(module.dynamodb_item)")
    return draft


def build_plain_shared(name: str, rng: random.Random) -> ModuleDraft:
    """Shared modules without items, reusing the components services use."""
    draft = ModuleDraft(f"modules/{name}")
    add_shared_base(draft)
    component = {"s3-bucket": add_bucket, "iam-role": add_role, "sqs-queue": add_queue}[name]
    component(draft, rng)
    return draft


def build_shared(seed: int, all_items: bool) -> list[ModuleDraft]:
    """All modules under ``modules/``; with ``all_items`` each also gets its own item set."""
    drafts = [build_item_module(), build_item_set_module()]
    for name in SHARED_PLAIN:
        drafts.append(build_plain_shared(name, random.Random(f"{seed}:modules/{name}")))
    if all_items:
        for draft in drafts:
            if not any(a.name == "name_prefix" for a in draft.locals.get("locals.tf", [])):
                draft.local("name_prefix", posixpath.basename(draft.path))
                draft.local("common_tags", {"Module": posixpath.basename(draft.path)})
            add_dynamodb(draft, random.Random(f"{seed}:{draft.path}:items"), None, True)
    return drafts


# -------------------------------------------------------------------- service layout


@dataclass(frozen=True)
class ServicePlan:
    """Where a service lives and what it gets, decided before any module is built."""

    index: int
    team: str
    name: str
    table_slot: int | None
    broken: int | None


def service_names(rng: random.Random, count: int) -> list[tuple[str, str]]:
    """Unique ``(team, service)`` pairs; teams grow with the repo (one per 25 services), up to twenty."""
    teams = TEAMS[: max(1, min(len(TEAMS), count // 25 + 1))]
    used: set[tuple[str, str]] = set()
    pairs = []
    for index in range(count):
        team = teams[index % len(teams)]
        base = f"{rng.choice(SERVICE_FIRST)}-{rng.choice(SERVICE_SECOND)}"
        name, suffix = base, 2
        while (team, name) in used:
            name, suffix = f"{base}-{suffix}", suffix + 1
        used.add((team, name))
        pairs.append((team, name))
    return pairs


def broken_count(modules: int) -> int:
    """About one module in 500, and at least one once the repo has 100 modules."""
    return max(1 if modules >= 100 else 0, round(modules / 500))


def plan_services(rng: random.Random, modules: int, all_items: bool) -> list[ServicePlan]:
    """Choose table modules (10%) and broken modules (half of them among item holders)."""
    table_indices = sorted(rng.sample(range(modules), max(1, round(modules * 0.1)) if modules else 0))
    slots = {index: slot for slot, index in enumerate(table_indices)}
    item_holders = [i for i in range(modules) if all_items or (i in slots and holds_items(slots[i]))]
    holder_set = set(item_holders)
    others = [i for i in range(modules) if i not in holder_set] or item_holders
    pools, start = (item_holders, others), rng.randrange(2)
    broken: dict[int, int] = {}
    for n in range(broken_count(modules)):
        pool = pools[(start + n) % 2]
        choice = rng.choice(pool) if pool else None
        if choice is not None and choice not in broken:
            broken[choice] = n
    pairs = service_names(rng, modules)
    return [ServicePlan(i, team, name, slots.get(i), broken.get(i))
            for i, (team, name) in enumerate(pairs)]  # fmt: skip


def build_service(plan: ServicePlan, seed: int, all_items: bool) -> ModuleDraft:
    """One service root: the base files, two components and, for some, DynamoDB."""
    rng = random.Random(f"{seed}:{plan.index}")
    draft = ModuleDraft(f"services/{plan.team}/{plan.name}")
    add_base(draft, plan.team, plan.name, rng)
    for component in rng.sample(COMPONENTS, 2):
        component(draft, rng)
    if plan.table_slot is not None or all_items:
        add_dynamodb(draft, rng, plan.table_slot, all_items)
    return draft


# ------------------------------------------------------------------------- breakage


def drop_closing_brace(lines: list[str]) -> bool:
    """Unclosed brace: the last top-level block loses its ``}``."""
    ends = [i for i, line in enumerate(lines) if line.endswith("}") and line[:1] not in " #/"]
    if ends:
        lines[ends[-1]] = lines[ends[-1]][:-1].rstrip()
    return bool(ends)


def drop_closing_quote(lines: list[str]) -> bool:
    """Unterminated string: the first line ending in a string loses its closing quote."""
    quoted = [i for i, line in enumerate(lines) if line.endswith('"')]
    if quoted:
        lines[quoted[0]] = lines[quoted[0]][:-1]
    return bool(quoted)


def drop_heredoc_end(lines: list[str]) -> bool:
    """Unterminated heredoc: the last closing marker goes, so the heredoc runs to the end."""
    ends = [i for i, line in enumerate(lines) if line.strip() in ("EOT", "YAML", "ITEM")]
    if ends:
        del lines[ends[-1]]
    return bool(ends)


BREAKAGES: tuple[Callable[[list[str]], bool], ...] = (
    drop_closing_brace,
    drop_closing_quote,
    drop_heredoc_end,
)


def break_text(text: str, first: int) -> str:
    """Damage a file so no HCL parser accepts it, the way hand edits go wrong.

    Breakages rotate from ``first``; one that does not fit the file (no heredoc to
    leave open) passes to the next, and every file has a brace to lose.
    """
    lines = text.split("\n")
    for offset in range(len(BREAKAGES)):
        if BREAKAGES[(first + offset) % len(BREAKAGES)](lines):
            return "\n".join(lines)
    raise ValueError("no way to break this file")


def pick_broken_file(draft: ModuleDraft, rng: random.Random) -> str:
    """Usually break the file holding items, where ddblint must parse; else any ``.tf``."""
    holders = [name for name in sorted(draft.items) if name.endswith(".tf")]
    holders += [c.file for c in draft.calls if c.target in ITEM_MODULES]
    if holders and rng.random() < 0.7:
        return rng.choice(sorted(set(holders)))
    return rng.choice(sorted(name for name in draft.render() if name.endswith(".tf")))


# ---------------------------------------------------------------------- the result


@dataclass(frozen=True)
class GeneratedRepo:
    """What :func:`generate` wrote, for benchmark reports and sanity checks.

    ``item_instances`` counts the item instances every service would manage once
    ``count``, ``for_each`` and module fan-out are expanded, leaving out items in broken
    files. ``relevant_dirs`` are the module directories ddblint's prefilter should keep:
    those mentioning items and those calling, at any depth, a module that does.
    ``kinds`` counts the item shapes among services (``local_map``, ``json_file``,
    ``csv``, ``count``, ``fanout``, ``nested_fanout``, ``tfjson``, ``seed``,
    ``table_only``, and ``small_set`` for the sets ``--all-items`` adds).
    """

    root: Path
    modules: int
    shared_modules: int
    files: int
    tf_files: int
    tf_json_files: int
    tfvars_files: int
    data_files: int
    lines: int
    total_bytes: int
    table_modules: int
    item_modules: int
    fanout_callers: int
    item_instances: int
    kinds: Mapping[str, int]
    relevant_dirs: tuple[str, ...]
    broken_files: tuple[str, ...]

    def summary(self) -> dict[str, object]:
        """Every field as JSON-ready counts: the path lists become their lengths."""
        data: dict[str, object] = {f.name: getattr(self, f.name) for f in fields(self)}
        data.update(root=str(self.root), kinds=dict(self.kinds))
        data.update(relevant_dirs=len(self.relevant_dirs), broken_files=len(self.broken_files))
        return data


def relevant_dirs(drafts: Sequence[ModuleDraft]) -> tuple[str, ...]:
    """Modules holding items plus their callers, transitively, as a prefilter sees them."""
    relevant = {d.path for d in drafts if d.items}
    changed = True
    while changed:
        changed = False
        for draft in drafts:
            if draft.path not in relevant and any(c.target in relevant for c in draft.calls):
                relevant.add(draft.path)
                changed = True
    return tuple(sorted(relevant))


def instances_per_call(path: str, by_path: Mapping[str, ModuleDraft], broken: set[str], memo: dict[str, int]) -> int:
    """Item instances one instance of a module creates, following its calls down."""
    if path not in memo:
        draft = by_path[path]
        total = sum(n for f, n in draft.items.items() if f"{path}/{f}" not in broken)
        for call in draft.calls:
            if f"{path}/{call.file}" in broken:
                continue
            inner = call.entries * instances_per_call(ITEM_MODULE, by_path, broken, memo)
            total += call.instances * (instances_per_call(call.target, by_path, broken, memo) + inner)
        memo[path] = total
    return memo[path]


def render_tree(drafts: Sequence[ModuleDraft], broken: Mapping[str, int]) -> dict[str, bytes]:
    """Every file's bytes by relative path, with the chosen files damaged."""
    files: dict[str, bytes] = {}
    for draft in drafts:
        for name, text in draft.render().items():
            rel = f"{draft.path}/{name}"
            files[rel] = (break_text(text, broken[rel]) if rel in broken else text).encode("utf-8")
    return files


def write_tree(root: Path, files: Mapping[str, bytes]) -> None:
    """Write all files, each folder created once rather than once per file."""
    for folder in sorted({posixpath.dirname(rel) for rel in files}):
        (root / folder).mkdir(parents=True, exist_ok=True)
    for rel, data in files.items():
        (root / rel).write_bytes(data)


@dataclass(frozen=True)
class FileTally:
    """File counts by kind and the size of the Terraform in them."""

    files: int
    tf: int
    tf_json: int
    tfvars: int
    data: int
    lines: int
    total_bytes: int


def tally_files(files: Mapping[str, bytes]) -> FileTally:
    """Count files by kind; lines count Terraform only, data files are bulk."""
    tf = [data for rel, data in files.items() if rel.endswith(".tf")]
    tf_json = [data for rel, data in files.items() if rel.endswith(".tf.json")]
    tfvars = [data for rel, data in files.items() if rel.endswith(".tfvars")]
    return FileTally(
        files=len(files),
        tf=len(tf),
        tf_json=len(tf_json),
        tfvars=len(tfvars),
        data=len(files) - len(tf) - len(tf_json) - len(tfvars),
        lines=sum(data.count(b"\n") for data in [*tf, *tf_json, *tfvars]),
        total_bytes=sum(len(data) for data in files.values()),
    )


def choose_broken(plans: Sequence[ServicePlan], services: Sequence[ModuleDraft], seed: int) -> dict[str, int]:
    """Map each broken file (relative path) to where its breakage rotation starts."""
    broken: dict[str, int] = {}
    for plan, draft in zip(plans, services):
        if plan.broken is not None:
            name = pick_broken_file(draft, random.Random(f"{seed}:{plan.index}:broken"))
            broken[f"{draft.path}/{name}"] = plan.broken
    return broken


def generate(outdir: Path, modules: int, seed: int = 0, all_items: bool = False) -> GeneratedRepo:
    """Write the synthetic repo into ``outdir`` (absent or empty) and report what it holds.

    Refusing a non-empty directory keeps the promise that equal arguments give equal
    trees: leftovers from an earlier, larger run would otherwise be benchmarked too.
    """
    if modules < 0:
        raise ValueError("modules must be >= 0")
    outdir = Path(outdir)
    if outdir.exists() and any(outdir.iterdir()):
        raise FileExistsError(f"{outdir} is not empty")
    plans = plan_services(random.Random(seed), modules, all_items)
    services = [build_service(plan, seed, all_items) for plan in plans]
    shared = build_shared(seed, all_items)
    all_drafts = [*services, *shared]
    broken = choose_broken(plans, services, seed)
    files = render_tree(all_drafts, broken)
    write_tree(outdir, files)
    tally = tally_files(files)
    by_path = {d.path: d for d in all_drafts}
    memo: dict[str, int] = {}
    kinds = Counter(kind for draft in services for kind in draft.kinds)
    return GeneratedRepo(
        root=outdir,
        modules=len(services),
        shared_modules=len(shared),
        files=tally.files,
        tf_files=tally.tf,
        tf_json_files=tally.tf_json,
        tfvars_files=tally.tfvars,
        data_files=tally.data,
        lines=tally.lines,
        total_bytes=tally.total_bytes,
        table_modules=sum(1 for d in all_drafts if d.table),
        item_modules=sum(1 for d in all_drafts if d.items),
        fanout_callers=sum(1 for d in all_drafts if any(c.target in ITEM_MODULES for c in d.calls)),
        item_instances=sum(instances_per_call(d.path, by_path, set(broken), memo) for d in services),
        kinds=dict(sorted(kinds.items())),
        relevant_dirs=relevant_dirs(all_drafts),
        broken_files=tuple(sorted(broken)),
    )


def main(argv: Sequence[str] | None = None) -> int:
    """Command-line entry: generate, then print the counts as JSON."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("outdir", type=Path, help="directory to create (must be absent or empty)")
    parser.add_argument("--modules", type=int, required=True, help="number of service modules")
    parser.add_argument("--seed", type=int, default=0, help="random seed (default 0)")
    parser.add_argument("--all-items", action="store_true",
                        help="worst case: every module holds a table and items")  # fmt: skip
    args = parser.parse_args(argv)
    try:
        repo = generate(args.outdir, args.modules, args.seed, args.all_items)
    except (FileExistsError, ValueError) as error:
        print(f"generate_repo: {error}", file=sys.stderr)
        return 2
    print(json.dumps(repo.summary(), indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
