"""The shipped fake-follower model: loads offline, reproduces from its training command, ranks
accounts of another source well, and its audit intervals behave."""

from __future__ import annotations

import csv
import re
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from creatormix.vetting.audience import audit_sample
from creatormix.vetting.features import FEATURES
from creatormix.vetting.model import load_default, score_profiles
from tests.conftest import ROOT

SRF = Path("srf-fake-followers") / "labelled_followers.csv"


def _srf_columns(shared_data: Path) -> tuple[dict[str, list[float]], np.ndarray]:
    with (shared_data / SRF).open(newline="", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    columns = {k: [float(r[k]) for r in rows] for k in rows[0] if k != "is_fake"}
    return columns, np.array([int(r["is_fake"]) for r in rows])


def test_the_shipped_model_is_json_and_loads_without_network() -> None:
    model = load_default()
    assert model.meta["training"]["source"]["credit"] == "SRF Data"
    assert model.features == FEATURES and "log_follower_ratio" not in model.features
    assert len(model.coefficients) == len(FEATURES) == 8
    assert len(model.prevalence.replicates) == 20
    assert 0.5 < model.calibration_slope < 2


def test_the_training_command_reproduces_the_shipped_file_byte_for_byte(
    shared_data: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    pytest.importorskip("sklearn")
    from creatormix.vetting.train import SHIPPED, main

    out = tmp_path / "model.json"
    assert main([str(shared_data / SRF), "--out", str(out)]) == 0
    assert out.read_bytes() == SHIPPED.read_bytes()
    said = capsys.readouterr().out
    assert f"wrote {out.resolve()}" in said and "byte-identical to the shipped model" in said


def test_training_without_out_overwrites_nothing(capsys: pytest.CaptureFixture[str]) -> None:
    from creatormix.vetting.train import SHIPPED, main

    before = SHIPPED.stat().st_mtime_ns
    with pytest.raises(SystemExit) as exit_:
        main(["labelled_followers.csv"])
    assert exit_.value.code == 2 and "--out" in capsys.readouterr().err
    assert SHIPPED.stat().st_mtime_ns == before


def test_out_of_source_auc_on_the_kaggle_accounts_is_at_least_0_90(shared_data: Path) -> None:
    from creatormix.vetting.evaluate import auc, read_kaggle

    x, y = read_kaggle(shared_data)
    scores = load_default().score(x)
    assert auc(y, scores.p) >= 0.90


def test_probabilities_are_calibrated_to_the_srf_base_rate(shared_data: Path) -> None:
    columns, y = _srf_columns(shared_data)
    scores = score_profiles(columns, len(y))
    assert abs(scores.p.mean() - y.mean()) < 0.01
    assert scores.p[y == 1].mean() > 3 * scores.p[y == 0].mean()


def test_username_counts_match_the_srf_definitions() -> None:
    from creatormix.vetting.features import username_counts

    counts = username_counts(["anna.mueller_92", "@Bob", None, ""])
    assert counts["username_length"][:2].tolist() == [15, 3]
    assert counts["username_digits"][0] == 2
    assert counts["username_ends_with_digit"][:2].tolist() == [1, 0]
    assert (
        counts["username_non_alpha"][0] == 4
    )  # '.', '_', '9', '2': digits count as non-alphabetic
    assert np.isnan(counts["username_length"][2:]).all()


def _sample(n: int, fake_share: float, seed: int = 1) -> dict[str, np.ndarray]:
    """Followers drawn like SRF's: real ones post and are followed back, fakes follow en masse."""
    rng = np.random.default_rng(seed)
    fake = rng.random(n) < fake_share
    return {
        "posts": np.where(fake, rng.integers(0, 3, n), rng.integers(20, 400, n)).astype(float),
        "following": np.where(fake, rng.integers(2500, 7000, n), rng.integers(100, 900, n)).astype(
            float
        ),
        "followers": np.where(fake, rng.integers(5, 120, n), rng.integers(150, 1500, n)).astype(
            float
        ),
        "has_profile_picture": np.ones(n),
        "is_private": np.zeros(n),
    }


def test_a_bigger_sample_gives_a_narrower_interval() -> None:
    small = audit_sample({k: v[:40] for k, v in _sample(2000, 0.3).items()})
    large = audit_sample(_sample(2000, 0.3))
    width = lambda a: a.fake_interval.high - a.fake_interval.low  # noqa: E731
    assert width(large) < width(small) / 3
    assert large.fake_interval.low < large.fake_share < large.fake_interval.high
    assert 0.2 < large.fake_share < 0.4


def test_missing_fields_are_scored_on_what_is_there_with_a_wider_interval() -> None:
    full = _sample(300, 0.3)
    holed = dict(full)
    posts = full["posts"].copy()
    posts[::2] = np.nan
    holed["posts"] = posts
    a, b = audit_sample(full), audit_sample(holed)
    assert b.missing_fields["posts"] == 150
    assert b.imputed_followers == 300  # no usernames either: every row imputes something
    assert (b.fake_interval.high - b.fake_interval.low) > (
        a.fake_interval.high - a.fake_interval.low
    )
    no_posts = {k: v for k, v in full.items() if k != "posts"}
    c = audit_sample(no_posts)
    assert c.missing_fields["posts"] == 300
    assert (c.fake_interval.high - c.fake_interval.low) > (
        b.fake_interval.high - b.fake_interval.low
    )


def _named(n: int, fake_share: float) -> dict[str, object]:
    sample: dict[str, object] = dict(_sample(n, fake_share))
    sample["username"] = [f"anna.b{i}" for i in range(n)]
    return sample


def test_fewer_than_30_followers_is_low_confidence() -> None:
    assert audit_sample({k: v[:29] for k, v in _named(100, 0.1).items()}).low_confidence  # type: ignore[index]
    full = audit_sample({k: v[:30] for k, v in _named(100, 0.1).items()})  # type: ignore[index]
    assert not full.low_confidence and full.information == pytest.approx(30, abs=0.5)


def test_a_sample_missing_most_fields_is_low_confidence_however_many_followers() -> None:
    n = 300
    names_only = audit_sample(
        {"username": [f"user{i * 7919 % 10**6}" if i % 3 else f"anna.b{i}" for i in range(n)]}
    )
    assert names_only.sample_size == n
    assert names_only.information < 30 and names_only.low_confidence
    doc = (ROOT / "docs" / "vetting.md").read_text(encoding="utf-8")
    said = re.search(r"300 usernames alone weigh as about (\d+) complete followers", doc)
    assert said is not None, "docs/vetting.md no longer gives the usernames-only figure"
    assert names_only.information == pytest.approx(int(said.group(1)), abs=2.5)
    width = names_only.fake_interval.high - names_only.fake_interval.low
    complete = audit_sample(_named(n, 0.3))
    assert complete.information == pytest.approx(n, abs=1) and not complete.low_confidence
    # both intervals hold the calibration's uncertainty, which is the same for both samples
    assert width > 1.5 * (complete.fake_interval.high - complete.fake_interval.low)


def test_the_split_is_consistent_with_the_real_share() -> None:
    audit = audit_sample(_named(400, 0.4))
    assert audit.split["suspicious"] == pytest.approx(audit.fake_share)
    others = sum(v for k, v in audit.split.items() if k != "suspicious")
    assert others == pytest.approx(audit.real_share)
    assert audit.real_interval.low == pytest.approx(1 - audit.fake_interval.high)
    # the fakes here are mass followers: counted by profile, yet in the shares they are suspicious
    assert audit.split_counts["mass_followers"] > 100 > audit.split["mass_followers"] * 400


def test_the_split_follows_the_incumbents_priority() -> None:
    audit = audit_sample(
        {
            "posts": [100, 100, 100, 0, None],
            "following": [2000, 800, 300, 5000, 300],
            "followers": [9000, 9000, 400, 10, 400],
            "has_profile_picture": [1, 1, 1, 0, 1],
            "is_private": [0, 0, 0, 0, 0],
            "username": ["a.b", "c.d", "e.f", "xk29384756", "g.h"],
        }
    )
    assert audit.split_counts["mass_followers"] == 2  # following > 1,500 wins over influencer
    assert audit.split_counts["influencers"] == 1
    assert sum(audit.split_counts.values()) == 5
    assert abs(sum(audit.split.values()) - 1) < 1e-9
    assert audit.split["suspicious"] == pytest.approx(audit.fake_share)


def test_a_sample_without_any_profile_field_is_refused_in_words() -> None:
    with pytest.raises(ValueError, match="no profile field"):
        audit_sample({"username": None, "posts": None})


@pytest.mark.slow
def test_the_model_card_quotes_what_the_evaluation_command_measures(shared_data: Path) -> None:
    pytest.importorskip("sklearn")
    from creatormix.vetting.evaluate import evaluate, markdown

    card = (Path(__file__).parents[2] / "docs" / "model-card-fake-followers.md").read_text("utf-8")
    quoted = card.split("<!-- evaluate:begin -->\n")[1].split("<!-- evaluate:end -->")[0]
    assert quoted == markdown(evaluate(shared_data))


@pytest.fixture(scope="module")
def cross_source() -> dict[str, object]:
    """The cross-source evaluation, run once for the tests below (about 15 s)."""
    from tests.conftest import SHARED_DATA

    if not SHARED_DATA.is_dir():
        pytest.skip(f"public test data not found at {SHARED_DATA} (see ../shared/data/README.md)")
    pytest.importorskip("sklearn")
    from creatormix.vetting.share_evaluation import cross_source

    return cross_source(SHARED_DATA)


@pytest.mark.slow
def test_the_fake_share_of_kaggle_built_samples_meets_the_targets(
    cross_source: dict[str, Any],
) -> None:
    from creatormix.vetting.share_evaluation import target_misses

    new, old = cross_source["new"], cross_source["old"]
    assert target_misses(cross_source) == []
    assert new["mae"] < 0.06 and new["worst_bias"] <= 0.10
    assert 0.85 <= new["coverage"] <= 0.95
    assert [s["share"] for s in new["shares"]] == [0.0, 0.05, 0.1, 0.2, 0.4, 0.7, 0.9]
    # the evaluation can tell a bad estimator: the old one is far off where most are fake
    assert old["mae"] > 0.1 and old["shares"][-1]["bias"] < -0.3


@pytest.mark.slow
def test_the_model_card_quotes_the_cross_source_table_and_its_command(
    cross_source: dict[str, Any],
) -> None:
    from creatormix.vetting.share_evaluation import markdown

    card = (ROOT / "docs" / "model-card-fake-followers.md").read_text("utf-8")
    quoted = card.split("<!-- prevalence:begin -->\n")[1].split("<!-- prevalence:end -->")[0]
    assert quoted == markdown(cross_source)
    assert "python -m creatormix.vetting.evaluate ../shared/data --prevalence" in card


def test_the_evaluation_command_refuses_bad_arguments_in_one_line(
    shared_data: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from creatormix.vetting.evaluate import main

    for argv, said in (
        ([str(shared_data), "--prevalence", "--size", "0"], "--size 0: give a positive number"),
        ([str(shared_data), "--samples", "5"], "--samples applies only with --prevalence"),
        ([str(shared_data / "nowhere"), "--prevalence"], "not found"),
        ([str(shared_data), "--prevalence", "--size", "400"], "give at most 345"),
    ):
        with pytest.raises(SystemExit) as exit_:
            main(argv)
        assert exit_.value.code == 2 and said in capsys.readouterr().err
