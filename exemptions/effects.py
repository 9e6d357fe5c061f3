"""The legal effect of a clause in words: what its article says it does, and
how a decision that applies it phrases the outcome.

The regulations differ here and the difference matters: Tai'an art. 6 *may*
exempt from liability for a fault (可以不予或者免予追究执法过错责任, and art. 9
then makes the decision one of 不予追究责任); art. 4 says liability *shall not*
be pursued (应不予追究); Lianyungang art. 8 says the conduct *is not a fault*
at all (不认定为行政执法过错行为，不应追究行政执法责任). The effect codes are
engine.EFFECTS, recorded per article (or clause) in the catalogue files.
"""

from dataclasses import dataclass

from exemptions import engine


@dataclass(frozen=True)
class EffectWording:
    """An effect in Chinese and English: `statement` is what the article says
    (clause pages), `decision` the outcome as a decision phrases it."""

    effect: str
    statement_zh: str
    statement_en: str
    decision_zh: str
    decision_en: str

    def statement(self, language: str | None) -> str:
        return self.statement_en if (language or "").startswith("en") else self.statement_zh

    def decision(self, language: str | None) -> str:
        return self.decision_en if (language or "").startswith("en") else self.decision_zh


_WORDINGS = {
    engine.SHALL_NOT_PURSUE: EffectWording(
        engine.SHALL_NOT_PURSUE,
        "应不予追究相关责任",
        "Liability shall not be pursued.",
        "不予追究相关责任",
        "no liability is pursued",
    ),
    engine.PRESUMED_NOT_PURSUED: EffectWording(
        engine.PRESUMED_NOT_PURSUED,
        "“一般只追究相应监管层级及其执法人员”：“一般”使之成为推定——有明确监管层级的，"
        "通常不追究该层级以外的执法人员，但个案中有充分理由的可以不适用",
        "“As a rule only the responsible level is pursued”: “as a rule” makes this a "
        "presumption — officers outside a clearly responsible level are ordinarily not pursued, "
        "but a case with sufficient reasons may depart from it.",
        "不予追究相关责任",
        "no liability is pursued",
    ),
    engine.MAY_EXEMPT: EffectWording(
        engine.MAY_EXEMPT,
        "可以不予或者免予追究执法过错责任（裁量：由领导班子集体研究决定）",
        "Liability for the enforcement fault may be waived or exempted (a discretion, "
        "exercised by the collective decision of the leadership).",
        # Art. 9: 应当作出不予追究责任的决定 — the decision's own words.
        "不予追究责任",
        "no liability is pursued",
    ),
    engine.NOT_A_FAULT: EffectWording(
        engine.NOT_A_FAULT,
        "不认定为行政执法过错行为，不应追究行政执法责任",
        "The conduct is not deemed an enforcement fault, and no enforcement liability "
        "shall be pursued.",
        "不认定为行政执法过错行为，不予追究行政执法责任",
        "the conduct is not deemed an enforcement fault, and no enforcement liability is pursued",
    ),
    engine.MAY_MITIGATE: EffectWording(
        engine.MAY_MITIGATE,
        "可以从轻或者减轻追究其执法过错责任",
        "Liability for the enforcement fault may be lightened or reduced.",
        "从轻或者减轻追究执法过错责任",
        "liability for the enforcement fault is lightened or reduced",
    ),
}


def effect_wording(effect: str | None) -> EffectWording | None:
    """The wording of a legal effect (engine.EFFECTS) in Chinese and English;
    None for no effect (a catalogue version loaded before effects were recorded).
    An unknown code is a programming error: KeyError."""
    if not effect:
        return None
    return _WORDINGS[effect]


def decision_outcome_phrase(
    catalog: engine.Catalog,
    outcome: str,
    outcome_label: str,
    cited_refs: list[str],
    language: str = "zh",
) -> str:
    """How a decision or filing notice words an outcome decided on `cited_refs`.

    An exemption (`exempt`) or mitigation (`mitigated`) is worded as the
    regulation words the effect of its first cited clause of the matching kind
    (Lianyungang: 不认定为行政执法过错行为，不予追究行政执法责任); any other
    outcome, or one decided under a version without effects, keeps `outcome_label`.
    """
    wanted = {
        "exempt": set(engine.EFFECTS) - {engine.MAY_MITIGATE},
        "mitigated": {engine.MAY_MITIGATE},
    }.get(outcome, set())
    for ref in cited_refs:
        clause = catalog.by_ref.get(ref)
        if clause is not None and clause.effect in wanted:
            return effect_wording(clause.effect).decision(language)
    return outcome_label
