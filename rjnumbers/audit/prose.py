"""Figures that a chapter's prose quotes about particular claims, read from ``data/prose_facts.csv``.

A row of that table is a glue key, the chapter that glues it, an expression and a format.  The
expression names claims by id (data, not code) through a few functions:

``token(id)``                 the claim's token as printed
``as_said(id)``               its value as a reader would say it ("about 150", "more than 50")
``value(id)``                 its value (the low end of a range)
``value_high(id)``            the high end of a range
``interval(id)``              the interval its stated precision allows, as text
``per_year(id)``              a count over a span as a rate per year (checks.comparable)
``computed(check, id)``       the value a check computed for the claim (verdict table)
``computed_lo(check, id)``    ... the low and high end of what it computed
``computed_hi(check, id)``
``fact(fact_id)``             an outside fact (data/reference/outside_facts.csv)
``verdict(id)``               the claim's verdict for readers, in words ("holds", "does not hold")
``ordinal(x)``                a number as an ordinal ("10th")

combined with numbers, ``+ - * /`` and ``abs``; a pair ``(a, b)`` fills a format with two
places (``{:.1f} to {:.1f}%``).  Nothing else parses, so a row can name a claim
but cannot run code; :func:`check_rows` refuses an unknown function, claim, check or fact with
the file, row and column before any chapter runs.
"""
from __future__ import annotations

import ast
import operator
import string

import pandas as pd

from ..data import load
from ..errors import DataError
from ..ledger import said_number

FILE = "data/prose_facts.csv"
_CLAIM_FUNCS = {"token", "as_said", "value", "value_high", "interval", "per_year", "verdict"}
_CHECK_FUNCS = {"computed", "computed_lo", "computed_hi"}
_FUNCS = _CLAIM_FUNCS | _CHECK_FUNCS | {"fact", "abs", "ordinal"}
_BINOPS = {ast.Add: operator.add, ast.Sub: operator.sub, ast.Mult: operator.mul,
           ast.Div: operator.truediv}


def _parse(expr: str) -> ast.Expression:
    try:
        tree = ast.parse(expr, mode="eval")
    except SyntaxError as exc:
        raise ValueError(f"does not parse ({exc.msg})") from None
    for node in ast.walk(tree):
        if isinstance(node, ast.Tuple) and node is not tree.body:
            raise ValueError("a pair (a, b) stands only around the whole expression")
        if isinstance(node, ast.Call):
            if not isinstance(node.func, ast.Name) or node.func.id not in _FUNCS:
                name = getattr(node.func, "id", ast.unparse(node.func))
                raise ValueError(f"{name!r} is not one of the functions "
                                 f"{', '.join(sorted(_FUNCS))}")
            if node.keywords or not all(isinstance(a, (ast.Constant, ast.BinOp, ast.Call,
                                                       ast.UnaryOp)) for a in node.args):
                raise ValueError(f"{node.func.id}() takes quoted ids or numbers only")
        elif not isinstance(node, (ast.Expression, ast.Tuple, ast.Constant, ast.BinOp, ast.UnaryOp,
                                   ast.USub, ast.Load, ast.Name, *_BINOPS)):
            raise ValueError(f"{type(node).__name__} is not allowed (only numbers, quoted ids, "
                             "+ - * / and the functions)")
        elif isinstance(node, ast.Name) and not _is_callee(tree, node):
            raise ValueError(f"bare name {node.id!r} (quote an id: '{node.id}')")
    return tree


def _arity(tree: ast.Expression) -> int:
    return len(tree.body.elts) if isinstance(tree.body, ast.Tuple) else 1


def _is_callee(tree: ast.AST, name: ast.Name) -> bool:
    return any(isinstance(n, ast.Call) and n.func is name for n in ast.walk(tree))


def _calls(tree: ast.AST):
    """(function, [constant args]) of every call in an expression."""
    for n in ast.walk(tree):
        if isinstance(n, ast.Call):
            yield n.func.id, [a.value for a in n.args if isinstance(a, ast.Constant)]


class _Context:
    def __init__(self, table: pd.DataFrame, claims: pd.DataFrame):
        from . import checks
        self.t, self.cl, self.checks = table, claims.set_index("claim_id"), checks

    def _computed(self, check: str, cid: str, col: str) -> float:
        hit = self.t[(self.t["check"] == check) & (self.t["claim_id"] == cid)]
        if hit.empty:
            raise KeyError(f"the audit has no verdict of check {check!r} for claim {cid!r}")
        return float(hit.iloc[0][col])

    def funcs(self) -> dict:
        c, cl = self.checks, self.cl
        return {
            "token": lambda cid: cl.loc[cid, "token"],
            "as_said": lambda cid: said_number(cl.loc[cid]),
            "value": lambda cid: float(cl.loc[cid, "value"]),
            "value_high": lambda cid: float(cl.loc[cid, "value_high"]),
            "interval": lambda cid: c.fmt_iv(c.tol.claim_interval(cl.loc[cid])),
            "per_year": lambda cid: float(c.comparable(cl.loc[cid])[0]),
            "computed": lambda chk, cid: self._computed(chk, cid, "computed_value"),
            "computed_lo": lambda chk, cid: self._computed(chk, cid, "computed_lo"),
            "computed_hi": lambda chk, cid: self._computed(chk, cid, "computed_hi"),
            "fact": lambda fid: float(load("outside_facts").set_index("fact_id")
                                      .at[fid, "value"]),
            "abs": abs,
            "verdict": lambda cid: self._verdicts().at[cid, "verdict"],
            "ordinal": lambda x: c.ordinal(round(x)),
        }

    def _verdicts(self) -> pd.DataFrame:
        if not hasattr(self, "_v"):
            from .verdicts import claim_verdicts
            self._v = claim_verdicts(self.t)
        return self._v


def _eval(node: ast.AST, funcs: dict):
    if isinstance(node, ast.Expression):
        return _eval(node.body, funcs)
    if isinstance(node, ast.Tuple):
        return tuple(_eval(e, funcs) for e in node.elts)
    if isinstance(node, ast.Constant):
        return node.value
    if isinstance(node, ast.UnaryOp):
        return -_eval(node.operand, funcs)
    if isinstance(node, ast.BinOp):
        return _BINOPS[type(node.op)](_eval(node.left, funcs), _eval(node.right, funcs))
    return funcs[node.func.id](*[_eval(a, funcs) for a in node.args])


def rows(chapter: str | None = None) -> pd.DataFrame:
    t = load("prose_facts")
    return t if chapter is None else t[t["chapter"] == chapter]


def facts(chapter: str, table: pd.DataFrame, claims: pd.DataFrame) -> dict[str, object]:
    """Glue key -> formatted text for every prose fact of one chapter."""
    funcs = _Context(table, claims).funcs()
    out = {}
    for r in rows(chapter).itertuples():
        tree = _parse(r.expression)
        value = _eval(tree, funcs)
        out[r.glue_key] = r.format.format(*(value if _arity(tree) > 1 else (value,)))
    return out


def check_rows(table: pd.DataFrame, claims: pd.DataFrame, check_ids, fact_ids) -> None:
    """Every expression parses, names known claims, checks and facts, and formats; else a
    DataError naming the row and column."""
    known = set(claims["claim_id"])
    for i, r in enumerate(table.itertuples(), start=1):
        try:
            tree = _parse(r.expression)
        except ValueError as exc:
            raise DataError(FILE, str(exc), row=i, column="expression") from None
        for func, args in _calls(tree):
            ids = ([a for a in args if func in _CLAIM_FUNCS] +
                   [a for a in args[1:] if func in _CHECK_FUNCS])
            for cid in ids:
                if cid not in known:
                    raise DataError(FILE, f"{cid!r} is not a claim_id in data/claims.csv",
                                    row=i, column="expression")
            if func in _CHECK_FUNCS and args and args[0] not in check_ids:
                raise DataError(FILE, f"{args[0]!r} is not a check of the audit", row=i,
                                column="expression")
            if func == "fact" and args and args[0] not in fact_ids:
                raise DataError(FILE, f"{args[0]!r} is not a fact_id in "
                                "data/reference/outside_facts.csv", row=i, column="expression")
        places = sum(f is not None for _, f, _, _ in string.Formatter().parse(r.format))
        if places != _arity(tree):
            raise DataError(FILE, f"the format has {places} place(s) for {_arity(tree)} "
                            "value(s)", row=i, column="format")
        try:
            r.format.format(*[1.0] * _arity(tree))
        except (ValueError, IndexError, KeyError) as exc:
            raise DataError(FILE, f"{r.format!r} is not a format for {_arity(tree)} value(s) "
                            f"({exc})", row=i, column="format") from None


def chapter_facts(chapter: str) -> dict[str, object]:
    """The prose facts of one chapter, from the build's verdict table and the ledger."""
    from ..ledger import claims
    from .verdicts import verdict_table
    return facts(chapter, verdict_table(detail=True), claims())
