"""Statement ranks (issue 13.2): a deprecated statement keeps its node, quote and disagreement, but gives no plain triple."""

from __future__ import annotations

import pyoxigraph as ox
import pytest
from click.testing import CliRunner

from peacegraph.cli import main
from peacegraph.errors import QueryError
from peacegraph.load.triples import best_ranked
from peacegraph.namespaces import BASE, ENTITY_IRI, P_IRI, PG_IRI, PGC_IRI, PS_IRI
from peacegraph.query.canned import run
from peacegraph.query.engines import EmbeddedEngine

DEPRECATED = {
    "d002-pashinyan-called-president": ("nikol-pashinyan", "holdsPost", "president-of-armenia"),
    "d003-armenia-borders-russia": ("armenia", "borders", "russia"),
}


def _ent(name: str) -> ox.NamedNode:
    return ox.NamedNode(ENTITY_IRI + name)


@pytest.mark.parametrize("fact_id", sorted(DEPRECATED))
def test_deprecated_statement_keeps_its_node_but_gives_no_plain_triple(fact_id, real_report):
    subject, relation, obj = DEPRECATED[fact_id]
    data = set(real_report.data)
    stmt = ox.NamedNode(BASE + "statement/" + fact_id)
    assert ox.Triple(_ent(subject), ox.NamedNode(PG_IRI + relation), _ent(obj)) not in data
    assert ox.Triple(_ent(subject), ox.NamedNode(P_IRI + relation), stmt) in data
    assert ox.Triple(stmt, ox.NamedNode(PS_IRI + relation), _ent(obj)) in data
    assert ox.Triple(stmt, ox.NamedNode(PG_IRI + "rank"), ox.NamedNode(PGC_IRI + "rank-deprecated")) in data
    assert ox.Triple(stmt, ox.NamedNode(PG_IRI + "rankReason"), ox.NamedNode(PGC_IRI + "reason-source-error")) in data
    evidence = {t.object for t in data if t.subject == stmt and t.predicate == ox.NamedNode(PG_IRI + "rankEvidence")}
    assert evidence, "a deprecated statement names the statements that show why"
    # d002's wrong title stays in a disagreement; d003's wrong neighbour is an error only, not a disagreement (issue 13.4).
    in_disagreement = any(t.predicate == ox.NamedNode(PG_IRI + "conflictingStatement") and t.object == stmt for t in data)
    assert in_disagreement == (fact_id == "d002-pashinyan-called-president")


def test_best_ranked_follows_wikidata(real_report):
    from dataclasses import replace

    facts = [f for f in real_report.curation.facts if f.subject == "armenia" and f.relation.name == "borders"]
    assert {f.id for f in facts} - best_ranked(facts) == {"d003-armenia-borders-russia"}
    # A preferred statement hides the normal ones of the same subject and relation; deprecated never counts.
    promoted = [replace(f, rank="preferred") if f.id == "d004-armenia-borders-iran" else f for f in facts]
    assert best_ranked(promoted) == {"d004-armenia-borders-iran"}
    assert best_ranked([f for f in facts if f.rank == "deprecated"]) == set()


@pytest.fixture(scope="module")
def engine(built_dir):
    return EmbeddedEngine(built_dir)


def test_all_ranks_shows_deprecated_rows_with_their_rank(engine):
    default = run("leaders", {"org": "Armenia"}, engine=engine).values()
    everything = run("leaders", {"org": "Armenia"}, engine=engine, all_ranks=True).values()
    assert all(row["rank"] == "normal" for row in default)
    extra = [row for row in everything if row not in default]
    assert [(r["office"], r["rank"], r["source"]) for r in extra] == [("President of Armenia", "deprecated", "d002")]


def test_all_ranks_is_refused_where_no_rank_is_shown(engine):
    with pytest.raises(QueryError, match="always leaves deprecated statements out"):
        run("meetings", {}, engine=engine, all_ranks=True)


def test_disagreements_show_every_rank(engine):
    rows = run("disagreements", {}, engine=engine).values()
    assert {r["rank"] for r in rows if r["about"] == "Nikol Pashinyan" and r["object"] == "President of Armenia"} == {"deprecated"}
    assert {r["rank"] for r in rows if r["about"] == "Nikol Pashinyan"} == {"deprecated", "normal"}


def test_cli_all_ranks_flag(built_dir):
    runner = CliRunner()
    args = ["query", "entity", "-p", "entity=Nikol Pashinyan", "--graph-dir", str(built_dir), "--format", "csv"]
    plain = runner.invoke(main, args)
    ranked = runner.invoke(main, [*args, "--all-ranks"])
    assert plain.exit_code == 0 and ranked.exit_code == 0, plain.output + ranked.output
    assert "deprecated" not in plain.output and "President of Armenia" not in plain.output
    assert "President of Armenia" in ranked.output and "deprecated" in ranked.output
