"""The sample corpus has Nynorsk interviews, and they are coded for the themes of their Bokmål
versions: one codebook (written in Bokmål) finds the themes in both standards."""

from __future__ import annotations

from pathlib import Path

import pytest

from exchange_corpus import sample_results_once
from mimres_cli.corpus import load_corpus
from mimres_cli.corpus.language import interview_language

REPO = Path(__file__).resolve().parents[1]
SAMPLE = REPO / "sample_interviews"
CODEBOOK = REPO / "codebooks" / "integrering.yaml"

#: The interviews rewritten from Bokmål into Nynorsk, with the content unchanged: for each theme
#: its Bokmål version was coded for, a word of the Nynorsk text that carries it, read against
#: the code's definition (in brackets, the code and the Bokmål word it replaces).
REWRITTEN: dict[str, dict[str, str]] = {
    "vaga_flyktning_01": {
        "arbeid": "praksisplass",  # fekk praksisplass på ein gard (praksisplass)
        "bolig": "kjøpe hus",  # for å kjøpe hus (eie_bolig)
        "bosted": "flytte",  # Borna vil ikkje flytte (flytte)
        "familie_skole": "skulen",  # Borna byrja på skulen (barnehage_skole; skolen)
        "fast_kontaktperson": "kontaktpersonen",  # kontaktpersonen vår heile tida
        "flerkulturelle_ansatte": "dari",  # ein assistent som snakka dari (morsmal)
        "frivillighet": "dugnad",  # Det er dugnad (dugnad)
        "introduksjonsprogrammet": "introduksjonsprogrammet",  # praksisplass gjennom ...
        "moteplasser_fritid": "idrettslaget",  # spelar fotball i idrettslaget
        "sprakopplaering": "vaksenopplæringa",  # (voksenopplaering; voksenopplæringa)
    },
    "vaga_arbeidsgiver_02": {
        "arbeid": "språkpraksis",  # tre i språkpraksis (sprakpraksis)
        "arbeidsgivers_motiver": "lønsemda",  # Det er lønsemda som styrer (lonnsomhet)
        "bosted": "flyttar",  # dei flyttar når dei byrjar på vidaregåande (flytte)
        # not familie_skole: "ho har familien sin her" names her family in passing, in a
        # turn about staying; since the revision family words are weak cues (both standards)
        "moteplasser_fritid": "kjende",  # folk blir kjende (venner_nettverk; blir kjent)
        "sprakopplaering": "vaksenopplæringa",  # (voksenopplaering; voksenopplæringa)
    },
    "vaga_hjelpeapparat_01": {
        "arbeid": "språkpraksis",  # få alle ut i språkpraksis (sprakpraksis)
        "bosted": "flytte",  # unge menn flytte til Oslo (flytte)
        "familie_skole": "einslege",  # Dei einslege har det tøffare (enslige; enslige)
        "fast_kontaktperson": "kontaktpersonen",  # Viss kontaktpersonen ... sluttar
        "flerkulturelle_ansatte": "tolk",  # Vi brukar tolk (tolk)
        "frivillighet": "dugnad",  # foreldra blir med på dugnad (dugnad)
        "introduksjonsprogrammet": "introduksjonsprogrammet",  # flytte ... etter ...
        "moteplasser_fritid": "einsame",  # dei var einsame (ensomhet; ensomme)
        "omorganisering": "kutte",  # diskutert å kutte ho (nedskjaeringer)
        "planarbeid": "individuell plan",  # ein individuell plan, med ansvarsgruppe
        "samordning": "ansvarsgruppe",  # (samarbeid_tjenester)
        "trivsel_tilhorighet": "del av bygda",  # då er dei ein del av bygda (tilhorighet)
    },
    "sel_hjelpeapparat_01": {
        "arbeid": "heile stillingar",  # vanskeleg å få heile stillingar (fast_jobb; hele)
        "bolig": "bustad",  # legetimar, bustad (boligsituasjon; bolig)
        "bosted": "flyttar",  # på sikt flyttar dei gjerne etter jobben (flytte)
        "familie_skole": "einslege",  # Dei einslege, særleg dei unge mennene (enslige)
        "fast_kontaktperson": "programrådgjevar",  # (veileder_saksbehandler; programrådgiver)
        "flerkulturelle_ansatte": "bindeledd",  # eit slags ... bindeledd (brobygger)
        "frivillighet": "frivillige",  # Nokre frivillige har vore guidar (frivillig_innsats)
        "introduksjonsprogrammet": "introduksjonsprogrammet",  # deltakarane i ...
        "moteplasser_fritid": "språkkafé",  # Røde Kors har språkkafé (moteplass)
        "omorganisering": "nedskjeringane",  # ein del av nedskjeringane (nedskjaeringer)
        "planarbeid": "individuell plan",  # ein individuell plan etter helse- og ...
        "samordning": "koordinator",  # med ansvarsgruppe og koordinator
        "sprakopplaering": "læringssenteret",  # samarbeidet med NAV og læringssenteret
        "tillit_oppfolging": "oppfølginga",  # den tette oppfølginga (tett_oppfolging)
    },
}


def test_the_sample_has_nynorsk_interviews_found_by_detection() -> None:
    # no sample file sets `language:`: the marker words (eg, ikkje, kva, korleis, berre ...) do
    corpus = load_corpus(SAMPLE)
    assert not any("language" in interview.metadata for interview in corpus.interviews)
    languages = {interview.id: interview_language(interview) for interview in corpus.interviews}
    nynorsk = {id_ for id_, language in languages.items() if language in ("nn", "mixed")}
    assert len(nynorsk) >= 4
    assert set(REWRITTEN) <= nynorsk
    assert all(languages[id_] == "nn" for id_ in REWRITTEN)


@pytest.mark.parametrize("interview_id", sorted(REWRITTEN))
def test_a_nynorsk_interview_is_coded_for_the_themes_of_its_bokmal_version(
    interview_id: str, tmp_path_factory
) -> None:
    from mimres_cli.coding import Results

    segments = Results.read(sample_results_once(tmp_path_factory)).segments
    own = segments[segments["interview_id"] == interview_id]
    for theme, word in REWRITTEN[interview_id].items():
        matched = own.loc[own["theme"] == theme, "matched"].str.lower()
        assert matched.str.contains(word, regex=False).any(), (theme, word)


def test_the_results_interviews_table_records_each_interviews_language(tmp_path_factory) -> None:
    from mimres_cli.coding import Results

    interviews = Results.read(sample_results_once(tmp_path_factory)).interviews
    language = dict(zip(interviews["interview_id"], interviews["language"], strict=True))
    assert {language[one] for one in REWRITTEN} == {"nn"}
    assert language["nordre_land_flyktning_01"] == "nb"  # written in Bokmål


def test_a_language_key_in_the_front_matter_gives_one_language_column(tmp_path) -> None:
    import mimres_cli

    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "a.txt").write_text(
        "---\nid: a\nmunicipality: Vågå\ngroup: flyktning\nlanguage: nynorsk\n---\n"
        "Intervjuar: Korleis går det med jobben?\nInformant: Det går bra.\n",
        encoding="utf-8",
    )
    interviews = mimres_cli.code(corpus, [CODEBOOK], model="fallback").interviews
    assert list(interviews.columns).count("language") == 1
    assert interviews["language"].tolist() == ["nn"]
