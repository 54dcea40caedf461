"""Audience fit from measured shares or stated assumptions; BM25 niche relevance in 0-1."""

from __future__ import annotations

import pytest

from creatormix.domain.audience import age_band, age_range, gender
from creatormix.domain.vetting import Target
from creatormix.vetting.fit import audience_fit
from creatormix.vetting.relevance import CreatorText, bm25_relevance

FR_AUDIENCE = {
    "country": {"FR": 0.6, "BE": 0.2, "US": 0.2},
    "age": {"18-24": 0.3, "25-34": 0.4, "35-44": 0.3},
    "gender": {"female": 0.7, "male": 0.3},
    "language": {"fr": 0.8, "en": 0.2},
}


def test_fit_multiplies_the_measured_shares_in_the_target() -> None:
    fit = audience_fit(Target(countries=("FR", "BE"), genders=("female",)), FR_AUDIENCE)
    assert fit.fit == pytest.approx(0.8 * 0.7)
    assert fit.confidence == "measured" and fit.confidence_weight == 1.0


def test_age_bands_overlap_in_proportion_to_shared_years() -> None:
    fit = audience_fit(Target(ages=("18-29",)), FR_AUDIENCE)
    assert fit.fit == pytest.approx(0.3 + 0.4 * 0.5)
    assert age_range("65+") == (65, 80)
    assert age_band("18–24 years") == "18-24"
    assert gender("Women") == "female"


def test_an_audience_outside_the_ship_to_countries_gives_a_low_fit() -> None:
    us = {"country": {"US": 0.9, "CA": 0.1}}
    assert audience_fit(Target(countries=("FR", "BE")), us).fit == 0.0


def test_without_shares_fit_is_assumed_from_the_creator_country_with_low_confidence() -> None:
    inside = audience_fit(Target(countries=("FR",)), None, country="FR")
    outside = audience_fit(Target(countries=("FR",)), None, country="US")
    assert inside.confidence == "assumed" and inside.confidence_weight < 0.5
    assert 0.5 < inside.fit < 0.65 and outside.fit < 0.1
    assert "Modash" in inside.reasons[0]
    # the export's top audience country wins over the creator's own
    assert (
        audience_fit(Target(countries=("FR",)), None, country="US", audience_country="FR").fit
        == inside.fit
    )


def test_country_and_language_meet_at_their_upper_frechet_bound() -> None:
    # a French audience speaking French is not 0.8 x 0.8: the French speakers live in France
    fit = audience_fit(Target(countries=("FR", "BE"), languages=("fr",)), FR_AUDIENCE)
    assert fit.fit == pytest.approx(min(0.8, 0.8))
    both = audience_fit(
        Target(countries=("FR",), languages=("fr",)), None, country="FR", language="fr"
    )
    alone = audience_fit(Target(countries=("FR",)), None, country="FR")
    assert both.fit == pytest.approx(alone.fit) and both.fit > 0.5
    # age and gender stay independent of place: they multiply
    everything = Target(countries=("FR", "BE"), languages=("fr",), genders=("female",))
    assert audience_fit(everything, FR_AUDIENCE).fit == pytest.approx(0.8 * 0.7)


def test_the_planner_fallback_uses_the_same_assumptions_as_vetting() -> None:
    import numpy as np

    from creatormix.domain.brief import Target as BriefTarget
    from creatormix.planning.candidates import Candidates
    from creatormix.planning.seams import derived_fit

    homes = [("FR", "fr"), ("US", "en"), (None, None), ("FR", "en")]
    cands = Candidates.from_columns(
        platform=["instagram"] * len(homes),
        handle=[f"c{i}" for i in range(len(homes))],
        country=[c for c, _ in homes],
        audience_country=[None] * len(homes),
        language=[lang for _, lang in homes],
    )
    planned, _ = derived_fit(cands, BriefTarget(ship_to=("FR",), languages=("fr",)))
    vetted = [
        audience_fit(
            Target(countries=("FR",), languages=("fr",)), None, country=c, language=lang
        ).fit
        for c, lang in homes
    ]
    assert np.allclose(planned, vetted)


def test_no_restriction_means_full_fit() -> None:
    assert audience_fit(Target(keywords="vegan"), None).fit == 1.0


def test_bm25_ranks_the_niche_and_scales_to_the_best_match() -> None:
    docs = [
        CreatorText(
            bio="Vegan skincare & clean beauty",
            categories=("beauty",),
            hashtags=("veganskincare", "skincare"),
        ),
        CreatorText(
            bio="Gym and protein", categories=("fitness",), captions=("vegan protein shake",)
        ),
        CreatorText(bio="Retro gaming", categories=("gaming",)),
    ]
    scores = bm25_relevance("vegan skincare", docs)
    assert scores[0].score > scores[1].score > scores[2].score == 0.0
    assert scores[0].score == 1.0 and 0.0 < scores[1].score < 1.0  # the best match is 1
    assert scores[0].matched == ("vegan", "skincare")
    assert bm25_relevance("", docs)[2].score == 1.0  # nothing asked, nothing filtered
    assert all(s.score == 0.0 for s in bm25_relevance("chess", docs))  # nobody matches
