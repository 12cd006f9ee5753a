"""The shipped codebook's evidence rules on Norwegian sentences: a word that says something
about a theme codes it, the same word passing by in a debate does not (docs/validity.md)."""

from __future__ import annotations

from pathlib import Path

import pytest

from mimres_cli.codebook import compile_codebooks, load_codebook
from mimres_cli.coding.explain import explain_code, interview_from_text
from mimres_cli.corpus.model import Interview, Turn
from mimres_cli.nlp import parse_interviews

CODEBOOK = Path(__file__).resolve().parents[2] / "codebooks" / "integrering.yaml"


@pytest.fixture(scope="module")
def matcher():
    return compile_codebooks([load_codebook(CODEBOOK)])


def applies(matcher, pipeline, code: str, text: str) -> bool:
    parsed = parse_interviews([interview_from_text(text)], pipeline)
    [unit] = explain_code(parsed, matcher, code)
    return unit.verdict is not None and unit.verdict.applies


@pytest.mark.parametrize(
    ("code", "text", "coded"),
    [
        # a weak term alone passes by; beside another cue of the code in its sentence it counts
        ("arbeid/jobb", "Det er arbeidstakere som er redde for smitte.", False),
        ("arbeid/jobb", "Arbeidstakerne får lønn hver fjortende dag.", True),
        # "i arbeid" is being employed, "i arbeidet med" is not
        ("arbeid/jobb", "Som ledd i arbeidet med revisjonen holdt vi en høring.", False),
        ("arbeid/jobb", "Etter to år var hun i arbeid.", True),
        # an idiom veto: doing a task well is not having a job
        ("arbeid/jobb", "De gjør en god jobb på skolen.", False),
        ("arbeid/jobb", "Han fikk jobb på sagbruket.", True),
        # working on a policy is not a job; working with children is
        ("arbeid/jobb", "Det må vi huske når vi jobber med konkurransepolitikken.", False),
        ("arbeid/jobb", "Jeg jobber med barn.", True),
        # a law in passing, or the same law word twice, is not the services' frames
        ("omorganisering/regelverk", "Derfor er det viktig å ha et regelverk for spill.", False),
        ("omorganisering/regelverk", "Forskriften endrer forskriften fra 2005.", False),
        (
            "omorganisering/regelverk",
            "Loven og forskriften sier at de skal ha fulltidsprogram.",
            True,
        ),
        ("omorganisering/regelverk", "Introduksjonsloven er klar på dette.", True),
        # busy everyday life is not work pressure in the services
        ("omorganisering/kapasitet", "Det er travelt med tre barn.", False),
        ("omorganisering/kapasitet", "Det er travelt, og vi har ikke tid til alle.", True),
        ("omorganisering/nedskjaeringer", "Jeg ville kutte ut skolen ett år.", False),
        ("omorganisering/nedskjaeringer", "Kommunen måtte kutte to stillinger.", True),
        # cutting or abolishing a tax or emissions, and putting in work ("legge ned arbeid"),
        # are no cut in the services
        ("omorganisering/nedskjaeringer", "Vi vil kutte skatten for folk flest.", False),
        ("omorganisering/nedskjaeringer", "Vi må kutte utslippene av klimagasser.", False),
        ("omorganisering/nedskjaeringer", "Vi vil kutta skatten.", False),
        ("omorganisering/nedskjaeringer", "Kommunen har kuttet i tjenestene.", True),
        ("omorganisering/nedskjaeringer", "Kommunen har kutta i tenestene.", True),
        ("omorganisering/nedbygging", "Regjeringen vil avvikle formuesskatten.", False),
        ("omorganisering/nedbygging", "Regjeringa vil avvikla formuesskatten.", False),
        ("omorganisering/nedbygging", "Kommunen vil avvikle flyktningtjenesten.", True),
        ("omorganisering/nedbygging", "Det er lagt ned et stort arbeid i denne saken.", False),
        ("omorganisering/nedbygging", "Mottaket ble lagt ned i fjor.", True),
        # samordning of services, not of activities at sea
        (
            "samordning/samordning_koordinering",
            "Vi trenger bedre samordning mellom aktiviteter i Barentshavet.",
            False,
        ),
        (
            "samordning/samordning_koordinering",
            "Det mangler samordning mellom NAV og flyktningtjenesten.",
            True,
        ),
        (
            "samordning/samarbeid_tjenester",
            "Tannhelsen var viktig da Samarbeidsregjeringen satte ned et utvalg om tjenesten.",
            False,
        ),
        ("samordning/samarbeid_tjenester", "NAV og skolen samarbeider godt.", True),
        ("samordning/informasjonsdeling", "Presset mot taushetsplikt og personvern øker.", False),
        (
            "samordning/informasjonsdeling",
            "Taushetsplikten hindrer informasjonsflyten mellom etatene.",
            True,
        ),
        # a decision followed up is not a person followed up
        (
            "tillit_oppfolging/tett_oppfolging",
            "Fem av vedtakene vil bli fulgt opp av komiteen.",
            False,
        ),
        ("tillit_oppfolging/tett_oppfolging", "Deltakerne blir fulgt tett opp hver uke.", True),
        ("brukerinvolvering/medvirkning", "Jeg ber statsråden lytte til innspillene.", False),
        ("brukerinvolvering/medvirkning", "Vi må lytte til brukerne og sikre medvirkning.", True),
        ("planarbeid/introduksjonsplan_mal", "Dette er et viktig delmål i forhandlingene.", False),
        ("fast_kontaktperson/veileder_saksbehandler", "Foreldre er rådgivere for barna.", False),
        ("fast_kontaktperson/veileder_saksbehandler", "Veilederen min hjalp meg med CV.", True),
        # a school or university as a place is not an education; going to it, or finishing it, is
        ("sprakopplaering/utdanning", "Det er ungdomsskole og videregående skole rett ved.", False),
        ("sprakopplaering/utdanning", "En venninne av meg på universitetet sa det.", False),
        ("sprakopplaering/utdanning", "Jeg gikk på videregående i Lillehammer.", True),
        ("sprakopplaering/utdanning", "Jeg må ta videregående først.", True),
        ("sprakopplaering/utdanning", "Universitetet får færre studieplasser.", True),
        ("sprakopplaering/utdanning", "Frafallet i videregående opplæring er høyt.", True),
        # thriving is about the place one lives, not a school or a workplace liked
        ("trivsel_tilhorighet/trivsel", "Det var veldig trivelig på den skolen.", False),
        ("trivsel_tilhorighet/trivsel", "Det var et hyggelig miljø på jobben.", False),
        ("trivsel_tilhorighet/trivsel", "Vi trives godt i bygda. Men jobben er tung.", True),
        ("trivsel_tilhorighet/trivsel", "Vi har det veldig bra her.", True),
        ("trivsel_tilhorighet/trivsel", "Det var trygt å vokse opp der.", True),
        ("trivsel_tilhorighet/trivsel", "Vi trenger en god miljøpolitikk.", False),
        # unequal treatment alone is not prejudice against the people the text is about
        ("trivsel_tilhorighet/diskriminering", "Det er forskjellsbehandling av kommunene.", False),
        ("trivsel_tilhorighet/diskriminering", "Forskjellsbehandling og rasisme finnes her.", True),
        # a family member named in passing is not the family's situation
        ("familie_skole/barn_og_familie", "Det er eg og kona, og så har vi innleigd hjelp.", False),
        ("familie_skole/barn_og_familie", "Kona mi og barna kom hit i fjor.", True),
        ("familie_skole", "Dattera mi begynte på skolen i høst.", True),
        # moved by someone else (a passive) is no choice of where to live; jobs here are
        ("bosted/flytte", "Etter sjuende klasse ble vi flyttet til en ungdomsskole.", False),
        ("bosted/flytte", "Hvis folk flytter herfra, blir det færre igjen.", True),
        # moving a task or a service is no move of people
        ("bosted/flytte", "Vi vil flytte ansvaret til kommunene.", False),
        (
            "bosted/flytte",
            "Dei vil flytta den offentlege tannhelsetenesta frå fylkeskommunen.",
            False,
        ),
        ("bosted/flytte", "Vi flytta til Oslo for å få jobb.", True),
        ("bosted/arbeid_og_bosted", "Jeg begynte å jobbe her på Sporveien.", False),
        ("bosted/arbeid_og_bosted", "Hvis jeg får fast jobb her, da blir jeg.", True),
        ("bosted/arbeid_og_bosted", "Det finnes ingen jobber her.", True),
        # drills of emergency staff are no pastime, nor a sports club in a list of organisations
        (
            "moteplasser_fritid/fritidsaktivitet",
            "Men det er viktig at disse aktørene trener.",
            False,
        ),
        ("moteplasser_fritid/fritidsaktivitet", "Mannskapa trenar kvar veke.", False),
        ("moteplasser_fritid/fritidsaktivitet", "Jeg trener på treningssenteret.", True),
        ("moteplasser_fritid/fritidsaktivitet", "Eg trenar på treningssenteret.", True),
        (
            "moteplasser_fritid/fritidsaktivitet",
            "Det gjelder mange organisasjoner, idrettslag og korps.",
            False,
        ),
        ("moteplasser_fritid/fritidsaktivitet", "Sønnen min spiller fotball i idrettslaget.", True),
        # the worker's incentive is not the firm's profitability
        ("arbeidsgivers_motiver/lonnsomhet", "Det skal lønne seg å jobbe.", False),
        ("arbeidsgivers_motiver/lonnsomhet", "Det skal løne seg å jobbe.", False),
        ("arbeidsgivers_motiver/lonnsomhet", "Det må lønne seg for bedriften.", True),
        ("arbeidsgivers_motiver/lonnsomhet", "Det må løne seg for garden.", True),
        # a need for labour with a word before "arbeidskraft"; labour that is there is no need
        ("arbeidsgivers_motiver/rekruttering", "Vi må rekruttere kompetent arbeidskraft.", True),
        ("arbeidsgivers_motiver/rekruttering", "Vi treng meir kvalifisert arbeidskraft.", True),
        ("arbeidsgivers_motiver/rekruttering", "Norge har mye kompetent arbeidskraft.", False),
        # a chance given to a policy is no social responsibility; to people it is
        ("arbeidsgivers_motiver/samfunnsansvar", "Vi må gi en sjanse til denne reformen.", False),
        ("arbeidsgivers_motiver/samfunnsansvar", "Vi vil gi dem en sjanse.", True),
        # hanging out with people is leisure; keeping up with a development is not
        ("moteplasser_fritid/venner_nettverk", "Jeg hang mest med pakistanske folk.", True),
        ("moteplasser_fritid/venner_nettverk", "Norge må henge med i utviklingen.", False),
        # Nynorsk forms of four regex rules: employing (tilsetje), plans (planane), following
        # a person up (følgjer dei opp), feeling at home (kjenner seg heime); each beside a
        # near miss with the same word in another sense
        ("arbeidsgivers_motiver/rekruttering", "Vi tilset folk som har hatt praksis her.", True),
        ("arbeidsgivers_motiver/rekruttering", "Har de tilsett etter praksisen?", True),
        ("arbeidsgivers_motiver/rekruttering", "Eg tilset ikkje folk utan norsk.", True),
        ("arbeidsgivers_motiver/rekruttering", "Dei tilsette ho snakka med var trøytte.", False),
        ("planarbeid/introduksjonsplan_mal", "Planane for kvar deltakar blir endra.", True),
        ("planarbeid/introduksjonsplan_mal", "Planane for sommaren er ikkje klare.", False),
        ("tillit_oppfolging/tett_oppfolging", "Rettleiarane følgjer dei opp kvar veke.", True),
        ("tillit_oppfolging/tett_oppfolging", "Deltakarane vert følgde opp kvar veke.", True),
        ("tillit_oppfolging/tett_oppfolging", "Vi følgjer saka opp i neste møte.", False),
        ("trivsel_tilhorighet/tilhorighet", "No kjenner eg meg heime i bygda.", True),
        ("trivsel_tilhorighet/tilhorighet", "Eg kjenner han som bur heime.", False),
        # a school named in a clause of time says when something happened; one's schooling
        # told in a main clause is about school
        (
            "familie_skole/barnehage_skole",
            "Mens jeg gikk på barneskolen, spilte jeg fotball.",
            False,
        ),
        (
            "familie_skole/barnehage_skole",
            "Det var stor forskjell fra vi gikk på barneskolen til vi ble tenåringer.",
            False,
        ),
        ("familie_skole/barnehage_skole", "Jeg gikk på barneskolen på Grav.", True),
        (
            "familie_skole/barnehage_skole",
            "Medan eg gjekk på barneskulen, spelte eg fotball.",
            False,
        ),
        ("familie_skole/barnehage_skole", "Eg gjekk på barneskulen på Voss.", True),
        ("familie_skole/barnehage_skole", "Da vi begynte på ungdomsskolen, flyttet vi.", False),
        ("familie_skole/barnehage_skole", "Han har begynt på ungdomsskolen.", True),
        # families with children as the people of a place describe the place
        ("familie_skole/barn_og_familie", "Det er mange barnefamilier i området.", False),
        ("familie_skole/barn_og_familie", "Det er eit fint sted for barnefamiliar.", False),
        ("familie_skole/barn_og_familie", "Det er mange barnefamiliar på staden.", False),
        ("familie_skole/barn_og_familie", "Barnefamilier har det travelt i hverdagen.", True),
        ("familie_skole/barn_og_familie", "Barnefamiliane har det travelt.", True),
        # "nærmeste nabo" places a house; a neighbour one knows is the social network
        ("moteplasser_fritid/venner_nettverk", "Østmarka er nærmeste nabo.", False),
        ("moteplasser_fritid/venner_nettverk", "Skogen er nærmaste nabo.", False),
        ("moteplasser_fritid/venner_nettverk", "Naboen er en god venn av oss.", True),
        ("moteplasser_fritid/venner_nettverk", "Naboen vår er svært hyggeleg.", True),
        # "koste oss" after "vi"/"og" is having a nice time (kose seg), not a cost
        ("arbeidsgivers_motiver/lonnsomhet", "Vi så på film og koste oss.", False),
        ("arbeidsgivers_motiver/lonnsomhet", "Me såg film og koste oss.", False),
        ("arbeidsgivers_motiver/lonnsomhet", "Det vil koste oss mye penger.", True),
        # to interpret something is no interpreter (the code's when_not_to_use)
        ("flerkulturelle_ansatte/tolk", "Man tolker det bare.", False),
        ("flerkulturelle_ansatte/tolk", "Vi brukte tolk på legekontoret.", True),
        ("flerkulturelle_ansatte/tolk", "Vi fekk tolk på legekontoret.", True),
        # moving between homes is the home (bolig), not a choice of where to live
        ("bosted/flytte", "Vi flyttet ut fra blokka og inn i et hus.", False),
        ("bosted/flytte", "Vi flyttet inn i en leilighet.", False),
        ("bosted/flytte", "Jeg flyttet hjemmefra da jeg var atten.", False),
        ("bosted/flytte", "Vi flyttet til Bærum da jeg var ti.", True),
        ("bosted/flytte", "Vi flytta inn i eit hus.", False),
        ("bosted/flytte", "Vi flytta til Voss då eg var ti.", True),
    ],
)
def test_the_shipped_rules(matcher, fallback_pipeline, code: str, text: str, coded: bool) -> None:
    assert applies(matcher, fallback_pipeline, code, text) is coded


#: 8 words about nothing the codebook codes; 60 of them make a 480-word debate turn
FILLER = " Vi har diskutert denne saken lenge i komiteen." * 60


@pytest.mark.parametrize(
    ("code", "passing", "about"),
    [
        # a theme word once in a long turn about something else passes by; two distinct
        # words of the theme in the same long turn say something about it
        ("bosted/flytte", "Mange flytter fra kommunen.", "Mange flytter, men vi vil bli boende."),
        (
            "bolig/leie_bolig",
            "Han bodde i en leilighet.",
            "Han leier en leilighet med fukt og mugg.",
        ),
        # Nynorsk "bustad" is one term ("*bolig" through its equivalent), not two
        ("bolig/boligsituasjon", "Bustaden er for liten.", "Bustaden er for liten og har fukt."),
        (
            "brukerinvolvering/medvirkning",
            "Brukermedvirkning er viktig.",
            "Brukermedvirkning er viktig, og brukerne må bli hørt.",
        ),
    ],
)
def test_a_long_turn_needs_more_than_one_word_of_the_theme(
    matcher, fallback_pipeline, code: str, passing: str, about: str
) -> None:
    assert applies(matcher, fallback_pipeline, code, passing)  # a short answer
    assert not applies(matcher, fallback_pipeline, code, passing + FILLER)  # 484 words
    assert applies(matcher, fallback_pipeline, code, about + FILLER)


def test_a_very_long_turn_needs_more_than_one_word_of_reorganisation(
    matcher, fallback_pipeline
) -> None:
    # omorganisering and sprakopplaering name reforms and courses in long turns that are about
    # them, so only a turn of more than 800 (600) words needs a second word of the theme
    for code, passing, more in [
        (
            "omorganisering/omorganisering_endring",
            "Reformen kom i 2005.",
            "Reformen førte til nedbemanning.",
        ),
        (
            "sprakopplaering/norskopplaering",
            "De går på norskkurs.",
            "De går på norskkurs og tar norskprøve.",
        ),
    ]:
        assert applies(matcher, fallback_pipeline, code, passing + FILLER)  # 484 words
        assert not applies(matcher, fallback_pipeline, code, passing + FILLER * 2)  # 964
        assert applies(matcher, fallback_pipeline, code, more + FILLER * 2)
    # "kuttet" is the noun kutt and the verb kutte: one word, one term of the theme
    long_cut = "Kommunen har kuttet i tjenestene." + FILLER * 2
    assert not applies(matcher, fallback_pipeline, "omorganisering/nedskjaeringer", long_cut)


def answer_applies(matcher, pipeline, code: str, question: str, answer: str) -> bool:
    """Whether `code` codes the informant's `answer` to the interviewer's `question`."""
    body = f"{question}\n{answer}"
    turns = (
        Turn(index=0, speaker="I", role="interviewer", start=0, end=len(question), text=question),
        Turn(
            index=1,
            speaker="Informant",
            role="informant",
            start=len(question) + 1,
            end=len(body),
            text=answer,
        ),
    )
    interview = Interview(id="qa", path=Path("<qa>"), body=body, metadata={}, turns=turns)
    [_, unit] = explain_code(parse_interviews([interview], pipeline), matcher, code)
    return unit.verdict is not None and unit.verdict.applies


LANGUAGE = "Hvordan vil du karakterisere språket der du vokste opp?"
SPEECH = "Er det forskjell på åssen folk snakker der og der du bor nå?"
NYNORSK = "Korleis vil du skildre dialekten der du vaks opp?"
CHILDHOOD = "Hva husker du fra du var liten?"


@pytest.mark.parametrize(
    ("code", "question", "answer", "coded"),
    [
        # people and places named in answer to a question about language or dialect are who
        # speaks how and where the speech was learnt; the same words answer other questions
        ("familie_skole/barn_og_familie", LANGUAGE, "Mine barn snakker likt med meg.", False),
        ("familie_skole/barn_og_familie", SPEECH, "Mine barn snakker likt med meg.", False),
        ("familie_skole/barn_og_familie", NYNORSK, "Borna mine snakkar som meg.", False),
        ("familie_skole/barn_og_familie", CHILDHOOD, "Mine barn snakker likt med meg.", True),
        ("bosted/flytte", LANGUAGE, "Det sluttet da jeg flyttet til Bærum.", False),
        ("bosted/flytte", CHILDHOOD, "Vi flyttet til Bærum da jeg var ti.", True),
        ("moteplasser_fritid/venner_nettverk", LANGUAGE, "En venninne sa jeg snakket pent.", False),
        ("moteplasser_fritid/venner_nettverk", CHILDHOOD, "Jeg hadde mange venner i gata.", True),
        (
            "moteplasser_fritid/venner_nettverk",
            "Hvor mange rom hadde dere?",
            "Naboen hadde fire.",
            False,
        ),
        ("moteplasser_fritid/venner_nettverk", CHILDHOOD, "Naboen var venn med oss.", True),
        # a question about language skills ("what has the language meant?") is no question
        # about the speech of a place: getting to know people still counts
        (
            "moteplasser_fritid/venner_nettverk",
            "Kva har språket hatt å seie?",
            "Det er sånn folk blir kjende.",
            True,
        ),
    ],
)
def test_a_question_about_language_takes_the_theme_away(
    matcher, fallback_pipeline, code: str, question: str, answer: str, coded: bool
) -> None:
    assert answer_applies(matcher, fallback_pipeline, code, question, answer) is coded


GROWING_UP = "Åssen var det å vokse opp på Grønland?"


@pytest.mark.parametrize(
    ("question", "answer", "coded"),
    [
        # a question about what it was like to grow up or live in a place asks for a judgement
        # of the place: the answer gives it, though it repeats no word of the theme
        (GROWING_UP, "Det var kjempegreit, masse unger overalt.", True),
        ("Hvordan er det å bo på Holmlia?", "Det er helt topp.", True),
        ("Korleis var det å veksa opp på Voss?", "Det var heilt topp.", True),
        # the same answer to a question about something else is not about the place
        ("Hva jobbet faren din med?", "Det var kjempegreit, masse unger overalt.", False),
        ("Korleis var det å gå på skulen?", "Det var heilt topp.", False),
    ],
)
def test_a_question_about_growing_up_there_sets_thriving(
    matcher, fallback_pipeline, question: str, answer: str, coded: bool
) -> None:
    code = "trivsel_tilhorighet/trivsel"
    assert answer_applies(matcher, fallback_pipeline, code, question, answer) is coded
