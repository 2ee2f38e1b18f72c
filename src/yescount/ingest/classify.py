"""Is a listing block an event a group could attend? (issue 9, "what counts as an event").

Kept: single days, ranges, recurring schedules, and exhibitions or runs whose
dates the page does not state (``ongoing``: "On now — check dates"). Rejected,
with a reason code:

``review``       a film, show or restaurant review ("3 out of 5 stars", "in theaters")
``roundup``      a pointer to another list ("our list of the best ...")
``online``       online-only ("on Zoom", "virtual-only", "livestream only")
``out_of_area``  outside the five boroughs (New Jersey, Long Island, Westchester ...)
``permanent``    a permanent exhibit or display with no dated happening
``venue``        a venue or attraction as such (a museum, a bar, a climbing deck) or an
                 opening with no visit date: no date, no weekly schedule, not a run
"""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import date

from yescount.domain.events import DateStatus
from yescount.ingest.dates import DateInfo

REASONS: tuple[str, ...] = ("review", "roundup", "online", "out_of_area", "permanent", "venue")
# Also returned: ``cancelled`` ("Canceled" on a line of its own), a code validation owns.

# Patterns compiled without IGNORECASE are matched against lower-cased text (``verdict``).
_REVIEW = re.compile(
    r"\b\d(?:\.\d)? out of (?:5|five|10) stars\b|\bread (?:the |our |full )?review\b"
    r"|\b(?:film|movie|restaurant) review\b|\bstreaming (?:now )?on\b|\bnow streaming\b"
    r"|[\u2605\u2606\u2729]{3,}"
)
_ROUNDUP = re.compile(
    r"\b(?:on|see|check out|find (?:\w+ ){0,6}on|in|browse) our (?:full )?(?:list|guide|roundup"
    r"|round-up|picks)\b|\bour (?:list|guide|roundup) of the best\b"
)
_ONLINE = re.compile(
    r"\b(?:online[- ]only|virtual[- ]only|livestream(?:ed)? only|via zoom|on zoom|zoom (?:link"
    r"|webinar|meeting)|(?:held|hosted|takes place|streamed) (?:entirely )?(?:online|virtually)"
    r"|online (?:event|webinar|workshop|class|talk|session)s?)\b"
)
# "*Online: iMovie for Beginners", a location "Online" or "Online via Zoom".
_ONLINE_NAME = re.compile(r"\W*(?:online|virtual)\b(?!\s+(?:and|&|or)\b)", re.IGNORECASE)
# The part of a page a block is listed in ("Online Exhibitions", "Traveling Exhibitions").
_ONLINE_SECTION = re.compile(r"^\W*(?:online|virtual|digital)\b", re.IGNORECASE)
# Shows elsewhere: a touring exhibition, or a museum's works lent to other institutions.
_TRAVELING_SECTION = re.compile(
    r"^\W*(?:travel(?:l)?ing|touring|on tour|loans?|on loan|works on loan)\b", re.IGNORECASE
)
# A part of a museum's page that lists its shows ("On view", "Current Exhibitions").
_RUN_SECTION = re.compile(r"\bon view\b|\bexhibitions?\b|\bnow showing\b", re.IGNORECASE)
_ONLINE_LABEL = re.compile(r"\W*(?:online|virtual)\s*:", re.IGNORECASE)
# A title that opens with "Virtual" as a qualifier ("Virtual Astro Live: 7/26"); not
# "Virtual Reality Arcade" or "Virtual and In-Person". ("Online ..." is often the topic of
# an in-person class: "Online Meeting: Zoom Basics".)
_ONLINE_TITLE = re.compile(r"\W*virtual\s+(?!(?:and|&|or|reality|vr|ar)\b)\w", re.IGNORECASE)
_CANCELLED_LINE = re.compile(r"(?:^|\n)\s*(?:cancell?ed|postponed)\s*(?:[:!.]|\n|$)")
# Titles of page furniture, not of happenings ("Visit", "See events on July 12").
_NOT_AN_ITEM = re.compile(
    r"(?:plan (?:your|a) )?visit(?: us)?|hours(?: (?:and|&) admission)?|tickets|admission"
    r"|membership|become a member|donate|support(?: us)?|shop|contact(?: us)?|about(?: us)?"
    r"|(?:exhibitions?|events?) (?:on view|calendar)|(?:current|upcoming|past|online|traveling)"
    r" (?:exhibitions?|events?)|exhibition archive|event archive|archive"
    r"|(?:see|view|browse|show)(?: all| more)? (?:events|exhibitions|programs|dates)\b.*"
    r"|upcoming|current|past|on view|now on view|now showing|coming soon|ongoing",
    re.IGNORECASE,
)
# An undated card titled as a list of things ("Student Exhibitions", "Exhibitions at Mana",
# "Family Programs"): a link to a programme page, not one happening.
_LIST_TITLE = re.compile(
    r"(?:[\w'\u2019-]+\s+){0,3}(?:exhibitions|events|programs|programmes|classes|workshops)"
    r"(?:\s+(?:at|in|on|for)\s+.{1,60})?",
    re.IGNORECASE,
)
_NOTICE = re.compile(
    r"\b(?:closures?|notices?|advisory|advisories|alerts?|service changes?)\b"
    # "Galleries Closed", "Museum closed for installation", "Closed: July 4" (not
    # "Registration Closed", said of one event)
    r"|^\W*closed\b|\b(?:galleries|gallery|museum|library|branch|park|building|campus)"
    r"\s+(?:is\s+|are\s+|will be\s+)?closed\b",
    re.IGNORECASE,
)
_OUTSIDE = re.compile(
    r"\b(?:in|to|at|across) (?:the )?(?:\w+ ){0,2}(?:new jersey|jersey city|hoboken|newark"
    r"|montclair|long island|the hamptons|westchester|yonkers|hudson valley|connecticut"
    r"|philadelphia|upstate new york)\b|\b[A-Z][a-z]+,\s*(?:NJ|CT|PA)\b",
)
# A card line that is only a place elsewhere ("Beverly Hills", "Gagosian Rome", "Paris"),
# or places the item in another US state ("offsite: Atlanta, Georgia", "Honolulu, Hawai'i");
# matched line by line on lower-cased text (``_elsewhere_line``).
_PLACE_LINE_MAX = 64
_ELSEWHERE_LINE = re.compile(
    r"[^\n]{0,40}\b(?:london|paris|rome|athens|hong kong|beverly hills|los angeles"
    r"|san francisco|chicago|miami|boston|washington,? d\.?c\.?|geneva|gstaad|basel|zurich"
    r"|milan|berlin|madrid|tokyo|seoul|shanghai|singapore|toronto|montreal|mexico city)\s*"
)
_ELSEWHERE_STATE = re.compile(
    r"[^\n]{0,40}\b(?:alabama|alaska|arizona|arkansas|california|colorado|delaware"
    r"|florida|georgia|hawai\W?i|idaho|illinois|indiana|iowa|kansas|kentucky|louisiana|maine"
    r"|maryland|massachusetts|michigan|minnesota|mississippi|missouri|montana|nebraska|nevada"
    r"|new hampshire|new mexico|north carolina|north dakota|ohio|oklahoma|oregon|rhode island"
    r"|south carolina|south dakota|tennessee|texas|utah|vermont|virginia|wisconsin|wyoming)\s*"
)
# Marked as shown elsewhere ("Offsite: ...", "On tour: ...").
_OFFSITE_LINE = re.compile(r"\s*(?:off-?site|on tour|touring)\s*:")
_NYC = re.compile(
    r"\b(?:manhattan|brooklyn|queens|bronx|staten island|nyc|new york city|harlem|soho"
    r"|chelsea|midtown|williamsburg|bushwick|astoria)\b"
)
# A place long open ("first opened in 2022", "reopened in 2025"): a venue, not a happening.
_ESTABLISHED = re.compile(
    r"\b(?:first |officially |re)?opened (?:\w+ ){0,4}in (?:[a-z]+ )?((?:19|20)\d\d)\b"
)
_PERMANENT = re.compile(r"\bpermanent(?:ly)?\b(?! (?:closed|closing|closure))")
_RUN = re.compile(
    r"\b(?:exhibit|exhibits|exhibition|exhibitions|on view|pop-?up|installation|retrospective"
    r"|limited (?:engagement|run|time)|art show|group show|solo show)\b"
)
_VENUE_NOUN = re.compile(
    r"\b(?:museum|gallery|club|cinemas?|theaters?|theatres?|library|institute|studio|bar|pub"
    r"|restaurant|cafe|café|rink|arcade|lounge|zoo|aquarium|speakeasy|brewery|distillery"
    r"|bookstore|shop|store|hotel|spa|gym|venue)\b",
    re.IGNORECASE,
)
_EVENT_NOUN = re.compile(
    r"\b(?:festival|fest|fair|market|bazaar|parade|concert|show|tours?|crawl|party|screening"
    r"|series|celebration|marathon|race|run|walk|gala|performance|premiere|workshop|class"
    r"|lecture|talk|reading|tasting|sale|flea|carnival|circus|opera|ballet|musical|play"
    r"|exhibit|exhibition|experience)\b",
    re.IGNORECASE,
)
_PLACE_SPLIT = re.compile(r"\s+(?:at|in|on|near|inside)\s+|\s+[(|]", re.IGNORECASE)
_OF = re.compile(r"\s+of\s+", re.IGNORECASE)
_SUBTITLE = re.compile(r":|\s[-\u2013\u2014]\s|\bpresents\b", re.IGNORECASE)


def verdict(
    title: str,
    text: str,
    info: DateInfo,
    *,
    ref: date,
    location: str | None = None,
    section: str | None = None,
) -> tuple[DateInfo, str | None]:
    """The block's dates (``ongoing`` for an undated run) and a rejection reason, if any."""
    if section and _ONLINE_SECTION.search(section):
        return info, "online"
    if section and _TRAVELING_SECTION.search(section):
        return info, "out_of_area"
    lowered = text.lower()  # the text patterns below are written in lower case
    if _CANCELLED_LINE.search(lowered):
        return info, "cancelled"
    if _NOT_AN_ITEM.fullmatch(title.strip()):
        return info, "not_event_section"
    if _NOTICE.search(title):
        return info, "news"
    if _REVIEW.search(lowered):
        return info, "review"
    online_title = _ONLINE_LABEL.match(title) or _ONLINE_TITLE.match(title)
    if _ONLINE.search(lowered) or online_title or _ONLINE_NAME.match(location or ""):
        return info, "online"
    if (_OUTSIDE.search(text) or _elsewhere_line(lowered)) and not _NYC.search(lowered):
        return info, "out_of_area"
    is_run = bool(_RUN.search(title.lower()) or _RUN.search(lowered))
    if is_run and _past_single(info, ref):
        # An exhibition whose only date is a past talk or reception: the run is undated.
        info = DateInfo(DateStatus.UNCLEAR, evidence=info.evidence)
    if info.start is not None or info.end is not None:
        return info, None
    if _ROUNDUP.search(lowered):
        return info, "roundup"
    if _PERMANENT.search(lowered):
        return info, "permanent"
    if is_venue_title(title) or _established(lowered, ref):
        return info, "venue"
    if info.weekdays or info.status is DateStatus.MULTIPLE:
        return info, None
    if _LIST_TITLE.fullmatch(title.strip()):
        return info, "roundup"
    if is_run or (section is not None and _RUN_SECTION.search(section)):
        return DateInfo(DateStatus.ONGOING, confidence=0.0, evidence=info.evidence), None
    if _EVENT_NOUN.search(title):
        return replace(info, status=DateStatus.UNCLEAR), None
    return info, "venue"


def _elsewhere_line(lowered: str) -> bool:
    """A short card line that is only a place elsewhere, or marks the item as offsite."""
    for line in lowered.split("\n"):
        if _OFFSITE_LINE.match(line):
            return True
        line = line.rstrip()
        if len(line) <= _PLACE_LINE_MAX and (
            _ELSEWHERE_LINE.fullmatch(line) or _ELSEWHERE_STATE.fullmatch(line)
        ):
            return True
    return False


def _past_single(info: DateInfo, ref: date) -> bool:
    return info.status is DateStatus.SINGLE and info.start is not None and info.start < ref


def is_venue_title(title: str) -> bool:
    """A title naming a place ("The Studio Museum in Harlem", "LOOK Dine-in Cinemas").

    The name before a location ("... in Harlem") must end in a kind of place, so
    "Museum of Broadway" is a place and "Museum of Ice Cream: Winter Wonderland" or
    "Shop Small at the Brooklyn Flea" are not.
    """
    head = _PLACE_SPLIT.split(title.strip(), maxsplit=1)[0]
    if _SUBTITLE.search(head):
        return False
    head = _OF.split(head, maxsplit=1)[0]
    words = head.strip(" \"'\u201c\u201d").split()
    return bool(words) and _VENUE_NOUN.fullmatch(words[-1].strip(".,!?")) is not None


def _established(text: str, ref: date) -> bool:
    years = [int(y) for m in _ESTABLISHED.finditer(text) for y in m.groups() if y]
    return any(year < ref.year for year in years)
