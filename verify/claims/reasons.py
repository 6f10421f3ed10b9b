"""The words of the cross-check: a suggested grade's reasons (codes with parameters, see verify.lib.grading),
the disagreements between claims and the summary line (see verify.lib.crosscheck). This is the one place that
turns them into sentences, in the reader's language, when they are shown.

Every message has named placeholders, so a translation can put them in any order. Lists of names are joined
by join_names, which is translatable too.
"""

from collections.abc import Mapping

from django.utils.translation import gettext as _
from django.utils.translation import ngettext, pgettext

from verify.core.display import distance_text, radius_text, range_text, span_text
from verify.lib import crosscheck, grading

LEGACY = "legacy"  # a sentence stored before reasons were codes, shown as it was; see migration incidents 0011


def join_names(names: list[str]) -> str:
    """ "A", "A and B", "A, B and C"."""
    names = [str(n) for n in names]
    if len(names) <= 1:
        return "".join(names)
    separator = pgettext("list of names", ", ")
    return _("%(names)s and %(last)s") % {"names": separator.join(names[:-1]), "last": names[-1]}


def _denier(denier: Mapping) -> str:
    if denier.get("party"):
        return _("%(name)s (party to the conflict)") % {"name": denier["name"]}
    return str(denier["name"])


def _namer(namer: Mapping) -> str:
    sources = namer["sources"]
    message = ngettext("%(sources)s names %(perpetrator)s", "%(sources)s name %(perpetrator)s", len(sources))
    return message % {"sources": join_names(sources), "perpetrator": namer["perpetrator"]}


def _fair_bar(r: Mapping) -> str:
    values = {"count": len(r["sources"]), "sources": join_names(r["sources"])}
    if r["meeting"] == 1:
        return (
            _(
                "%(count)s independent sources (%(sources)s), but only one meets the bar for Fair "
                "(credibility 1–3 from a source rated A–C)."
            )
            % values
        )
    return (
        _(
            "%(count)s independent sources (%(sources)s), but none meet the bar for Fair "
            "(credibility 1–3 from a source rated A–C)."
        )
        % values
    )


def _render(r: Mapping) -> str:
    code = r["code"]
    if code == LEGACY:
        return str(r["text"])
    if code == grading.NO_CLAIMS:
        return _("No claims have been recorded yet.")
    if code == grading.NO_AFFIRMING_CLAIM:
        return _("No independent claim alleges, corroborates or acknowledges the attack.")
    if code == grading.ACKNOWLEDGED:
        return _("%(source)s, speaking for %(side)s, acknowledges responsibility.") % {
            "source": r["source"],
            "side": r["side"],
        }
    if code == grading.ACKNOWLEDGEMENT_SETTLES:
        return _("Other claims name %(perpetrators)s; the acknowledgement settles who is responsible.") % {
            "perpetrators": join_names(r["perpetrators"])
        }
    if code == grading.COMPETING_PERPETRATORS:
        namers = pgettext("between clauses", "; ").join(_namer(n) for n in r["namers"])
        return _("Competing perpetrators are named: %(namers)s.") % {"namers": namers}
    if code == grading.FAIR_SOURCES:
        count = len(r["sources"])
        message = ngettext(
            "%(count)s independent source (%(sources)s) makes credible claims (credibility 1–3, sources rated A–C).",
            "%(count)s independent sources (%(sources)s) make credible claims (credibility 1–3, sources rated A–C).",
            count,
        )
        return message % {"count": count, "sources": join_names(r["sources"])}
    if code == grading.SINGLE_SOURCE:
        return _("Only one independent source: %(source)s.") % {"source": r["source"]}
    if code == grading.BELOW_FAIR_BAR:
        return _fair_bar(r)
    if code == grading.DERIVED_NOT_COUNTED:
        message = ngettext(
            "%(count)s derived claim (%(sources)s) only repeat other claims and are not counted as independent.",
            "%(count)s derived claims (%(sources)s) only repeat other claims and are not counted as independent.",
            r["count"],
        )
        return message % {"count": r["count"], "sources": join_names(r["sources"])}
    if code == grading.DENIAL_NOT_CONTESTING:
        return _("Denied by %(deniers)s; a denial alone does not make the incident contested.") % {
            "deniers": join_names([_denier(d) for d in r["deniers"]])
        }
    raise KeyError(code)


def reason_text(reason: Mapping | grading.Reason | str) -> str:
    """The words of one reason: a stored {"code": ..., **params} dict, or a Reason from verify.lib.grading.

    A plain string (a row written before reasons were codes and not yet migrated) is shown as it is. A reason
    whose code or parameters this version does not know is shown by its code rather than breaking the page.
    """
    if isinstance(reason, str):
        return reason
    if isinstance(reason, grading.Reason):
        reason = reason.as_dict()
    try:
        return _render(reason)
    except (KeyError, TypeError):
        return str(reason.get("code", ""))


def _range(r: crosscheck.Range) -> str:
    return range_text(r.low, r.high) or _("not stated")


def _days(n: int) -> str:
    return ngettext("%(n)s day", "%(n)s days", n) % {"n": n}


def _denial(code: str, p: Mapping) -> str:
    values = {"denier": _denier({"name": p["denier"], "party": p["party"]}), "other": p["other"]}
    stance = p["other_stance"]
    if code == crosscheck.DENIES:
        messages = {
            "alleges": _("%(denier)s denies the attack; %(other)s alleges it"),
            "corroborates": _("%(denier)s denies the attack; %(other)s corroborates it"),
            "acknowledges": _("%(denier)s denies the attack; %(other)s acknowledges it"),
        }
    else:
        messages = {
            "alleges": _("%(denier)s gives an alternative account of the event; %(other)s alleges it"),
            "corroborates": _("%(denier)s gives an alternative account of the event; %(other)s corroborates it"),
            "acknowledges": _("%(denier)s gives an alternative account of the event; %(other)s acknowledges it"),
        }
    return messages[stance] % values


def _disagreement(code: str, p: Mapping) -> str:
    ranges = {}
    if "a_range" in p:
        ranges = {"a": p["a"], "b": p["b"], "a_range": _range(p["a_range"]), "b_range": _range(p["b_range"])}
    if code == crosscheck.CASUALTIES_KILLED:
        return _("%(a)s: %(a_range)s killed vs %(b)s: %(b_range)s killed") % ranges
    if code == crosscheck.CASUALTIES_INJURED:
        return _("%(a)s: %(a_range)s injured vs %(b)s: %(b_range)s injured") % ranges
    if code == crosscheck.FIGURES_KILLED:
        return _("%(a)s: %(a_range)s killed vs %(b)s: %(b_range)s killed (different counts)") % ranges
    if code == crosscheck.FIGURES_INJURED:
        return _("%(a)s: %(a_range)s injured vs %(b)s: %(b_range)s injured (different counts)") % ranges
    if code == crosscheck.PERPETRATOR:
        return _("%(a)s names %(a_perpetrator)s as the perpetrator; %(b)s names %(b_perpetrator)s") % p
    if code in (crosscheck.DENIES, crosscheck.ALTERNATIVE):
        return _denial(code, p)
    if code == crosscheck.MUNITION:
        return _("%(a)s says %(a_munition)s was used; %(b)s says %(b_munition)s") % p
    if code == crosscheck.DATE:
        # ISO dates: unambiguous in every language, and what the claims' own pages show beside them.
        return _("%(a)s dates it %(a_date)s (± %(a_days)s); %(b)s dates it %(b_date)s (± %(b_days)s)") % {
            "a": p["a"],
            "b": p["b"],
            "a_date": p["a_date"].isoformat(),
            "b_date": p["b_date"].isoformat(),
            "a_days": _days(p["a_days"]),
            "b_days": _days(p["b_days"]),
        }
    if code == crosscheck.PLACE:
        return _(
            "%(a)s and %(b)s place it %(apart)s apart, more than their stated precision "
            "(%(a_radius)s and %(b_radius)s) allows"
        ) % {
            "a": p["a"],
            "b": p["b"],
            "apart": distance_text(p["metres"]),
            "a_radius": radius_text(p["a_radius"]),
            "b_radius": radius_text(p["b_radius"]),
        }
    if code == crosscheck.MILITARY_OBJECTIVE:
        return _("%(present)s says a military objective was present; %(absent)s says none was") % p
    raise KeyError(code)


def disagreement_text(disagreement: crosscheck.Disagreement) -> str:
    """The words of one disagreement between claims, in the reader's language (its English message when its
    code is not known here)."""
    try:
        return _disagreement(disagreement.code, disagreement.params)
    except (KeyError, TypeError):
        return disagreement.message


def _span(s: crosscheck.Span) -> str:
    return span_text(s.low, s.high, low_open=s.low_open, high_open=s.high_open)


def summary_text(summary: crosscheck.Summary) -> str:
    """The cross-check's summary line, in the reader's language: "34–49 killed according to 2 sources; denied by
    Russian Ministry of Defence (party to the conflict)"."""
    killed = _span(summary.killed) if summary.killed is not None else None
    injured = _span(summary.injured) if summary.injured is not None else None
    n = summary.sources
    if killed is not None and injured is not None:
        message = ngettext(
            "%(killed)s killed and %(injured)s injured according to %(n)s source",
            "%(killed)s killed and %(injured)s injured according to %(n)s sources",
            n,
        )
    elif killed is not None:
        message = ngettext(
            "%(killed)s killed according to %(n)s source", "%(killed)s killed according to %(n)s sources", n
        )
    elif injured is not None:
        message = ngettext(
            "%(injured)s injured according to %(n)s source", "%(injured)s injured according to %(n)s sources", n
        )
    else:
        message = _("No casualty figures reported")
    line = message % {"killed": killed, "injured": injured, "n": n} if "%" in message else message
    if summary.deniers:
        deniers = join_names([_denier({"name": name, "party": party}) for name, party in summary.deniers])
        line = _("%(line)s; denied by %(deniers)s") % {"line": line, "deniers": deniers}
    return line
