"""The bot's own sentences, in plain Dutch. Values filled in are escaped by the caller."""

from __future__ import annotations

REFUSAL = (
    "Goedendag. Deze chatbot is alleen voor professionals die er toegang toe hebben gekregen. "
    "Uw bericht is niet gelezen en niet bewaard.\n\n"
    "Hebt u zelf hulp nodig? Kijk dan op de website van uw gemeente, of bel uw gemeente.\n\n"
    "Werkt u voor een gemeente en hebt u toegang nodig? Geef dan dit nummer aan de beheerder van Wegwijzer: "
    "{user_id}"
)

START = (
    "Welkom bij <b>Wegwijzer</b>. Ik ben een chatbot, geen mens. Ik ben er voor professionals in "
    "het sociaal domein: wijkteams, huisartsen, schuldhulp, onderwijs en anderen.\n\n"
    "Ik help u de juiste plek te vinden voor een inwoner, zoals het loket schulddienstverlening, "
    "het sociaal wijkteam, mantelzorgondersteuning of Veilig Thuis. Ik laat ook zien wat het beleid "
    "van de gemeente erover zegt, met de bron erbij.\n\n"
    "Stel uw vraag gewoon in een bericht. Met /zoek zoekt u direct in de beleidsteksten. "
    "Alle opdrachten ziet u met /help."
)

HELP = (
    "<b>Zo werkt Wegwijzer</b>\n\n"
    "Typ uw vraag in een bericht, bijvoorbeeld: <i>gezin met huurachterstand, waar verwijs ik naar?</i> "
    "Ik antwoord met de plek die past. Tik op een knop om verder te gaan.\n\n"
    "/gemeente &lt;naam&gt; – kies de gemeente waar u voor werkt\n"
    "/zoek &lt;vraag&gt; – zoek in de beleidsteksten: passages met bron, en de plekken die passen\n"
    "/privacy – wat er met uw berichten gebeurt\n"
    "/start – uitleg over deze bot\n"
    "/help – dit overzicht\n\n"
    "Deel geen namen, BSN of andere gegevens van inwoners: die zijn niet nodig."
)

PRIVACY = (
    "<b>Privacy</b>\n\n"
    "Alleen professionals op de lijst van de gemeente kunnen deze bot gebruiken. Berichten van "
    "anderen worden niet gelezen en niet bewaard.\n\n"
    "Wegwijzer draait op servers van de gemeente, zonder clouddienst of taalmodel van buiten. "
    "Uw Telegram-nummer bewaren we niet. We maken er een code van die niet terug te rekenen is. "
    "Onder die code onthouden we uw gemeente, en gaat uw vraag naar de assistent. "
    "De tekst van uw berichten komt niet in de logbestanden.\n\n"
    "Let op: berichten gaan via Telegram, een bedrijf buiten de gemeente. "
    "Deel daarom geen namen, BSN, adressen of andere gegevens van inwoners. "
    "Beschrijf de situatie zonder te zeggen over wie het gaat."
)

GEMEENTE_NOT_SET = "U hebt nog geen gemeente gekozen. Voor welke gemeente werkt u?"
GEMEENTE_ASK = "Voor welke gemeente werkt u? Kies hieronder, of typ /gemeente &lt;naam&gt;."
GEMEENTE_CURRENT = "Uw gemeente: <b>{name}</b>. Wijzigen? Typ /gemeente &lt;naam&gt; of kies hieronder."
GEMEENTE_SET = "Uw gemeente is nu <b>{name}</b>."
GEMEENTE_UNKNOWN = "De gemeente '{given}' ken ik niet. Ik ken: {known}.\nTyp bijvoorbeeld: /gemeente {example}"
START_GEMEENTE = "Uw gemeente: <b>{name}</b>. Wijzigen kan met /gemeente."

ZOEK_EMPTY = "Typ uw vraag achter /zoek. Bijvoorbeeld: /zoek huurachterstand en energieschuld"
ZOEK_NOTHING = "Ik vond niets in de teksten van {name} voor deze vraag. Probeer andere woorden."
ZOEK_UNAVAILABLE = (
    "Zoeken in de beleidsteksten lukt nu niet. Probeer het later opnieuw, of stel uw vraag gewoon in een bericht."
)

TOO_LONG = "Uw bericht is te lang ({length} tekens). Houd het onder {limit} tekens, dan kan ik het lezen."
TEXT_ONLY = "Ik kan alleen tekst lezen. Typ uw vraag in een bericht."
BUTTON_EXPIRED = "Deze knop werkt niet meer. Typ uw vraag opnieuw."
SOMETHING_WRONG = "Er ging iets mis bij het maken van het antwoord. Probeer het opnieuw."
