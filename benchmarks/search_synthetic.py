"""Synthetic but realistic NYC event listings for the search benchmark (deterministic)."""

from __future__ import annotations

import random
from datetime import date, timedelta
from decimal import Decimal

from yescount.domain.events import WEBSITE_SOURCES, DateStatus, EventRecord

KINDS: list[tuple[str, list[str], list[str], tuple[int, int]]] = [
    # (title pattern, description sentences, vibe tags, price range in $; 0 = free)
    (
        "{adj} Jazz Night at {venue}",
        [
            "A {adj2} quartet plays standards and originals.",
            "Two sets, a late jam and a one-drink minimum.",
        ],
        ["music", "nightlife"],
        (15, 45),
    ),
    (
        "Free Outdoor Concert in {park}",
        [
            "Bring a blanket for {adj2} live music on the lawn.",
            "Local bands play folk, soul and indie rock until sunset.",
        ],
        ["music", "outdoor", "free"],
        (0, 0),
    ),
    (
        "{adj} Stand-Up Comedy Showcase",
        [
            "Six comedians test new material in a tiny room.",
            "Expect surprise drop-ins and a {adj2} crowd.",
        ],
        ["comedy", "nightlife"],
        (10, 30),
    ),
    (
        "Improv Jam at {venue}",
        ["Teams build scenes from audience suggestions.", "A {adj2}, loose night of laughs."],
        ["comedy", "low-key"],
        (5, 20),
    ),
    (
        "{adj} Immersive Art Experience",
        [
            "Projections wrap every wall of a former warehouse.",
            "Walk through {adj2} rooms of light, sound and mirrors.",
        ],
        ["immersive", "artsy"],
        (25, 45),
    ),
    (
        "{artist} Retrospective at {museum}",
        [
            "A new exhibition of paintings and drawings.",
            "Guided tours run on weekends; the galleries are {adj2} on weekday mornings.",
        ],
        ["artsy", "low-key"],
        (0, 30),
    ),
    (
        "Gallery Opening Night in {hood}",
        [
            "Several galleries open shows on the same evening.",
            "Free wine and {adj2} conversation with the artists.",
        ],
        ["artsy", "free"],
        (0, 0),
    ),
    (
        "{adj} Food Market in {hood}",
        [
            "Dozens of vendors cook dumplings, tacos and arepas.",
            "Free entry; most plates are cheap and {adj2}.",
        ],
        ["food", "outdoor"],
        (0, 0),
    ),
    (
        "Wine Tasting: {region} Reds",
        [
            "Taste six wines with cheese pairings.",
            "A sommelier hosts a {adj2} evening in a candlelit bar.",
        ],
        ["food", "low-key"],
        (30, 70),
    ),
    (
        "Craft Beer Festival at {venue}",
        ["Unlimited pours from regional breweries.", "Food trucks, a DJ and a {adj2} crowd."],
        ["food", "high-energy"],
        (40, 80),
    ),
    (
        "{adj} Techno Party in {hood}",
        [
            "Resident DJs play techno and house until sunrise.",
            "A {adj2} warehouse dance floor with a second disco room.",
        ],
        ["music", "nightlife", "high-energy"],
        (20, 50),
    ),
    (
        "Salsa Social with Live Band",
        [
            "A beginner lesson at 8pm, then social dancing.",
            "No partner needed; a {adj2} and friendly floor.",
        ],
        ["music", "nightlife"],
        (10, 25),
    ),
    (
        "{adj} Walking Tour of {hood}",
        [
            "A historian shows hidden courtyards and old taverns.",
            "Two hours, {adj2} stories, comfortable shoes.",
        ],
        ["outdoor", "low-key"],
        (20, 45),
    ),
    (
        "Ghost Tour of {hood}",
        ["Haunted townhouses and legends after dark.", "A spooky, {adj2} stroll for groups."],
        ["outdoor", "nightlife"],
        (25, 40),
    ),
    (
        "Kids' Science Morning at {museum}",
        ["Hands-on experiments and a bubble lab.", "Great for families with {adj2} kids."],
        ["family-friendly"],
        (10, 25),
    ),
    (
        "Puppet Show in {park}",
        ["A 45-minute marionette show of fairy tales.", "Perfect for toddlers; {adj2} and short."],
        ["family-friendly", "low-key"],
        (10, 20),
    ),
    (
        "Ice Skating Night at {park}",
        [
            "Skate under lights with a DJ on Fridays.",
            "Skate rental extra; {adj2} hot chocolate stand.",
        ],
        ["sports", "outdoor"],
        (0, 25),
    ),
    (
        "Yoga in the Galleries at {museum}",
        [
            "A gentle vinyasa class among sculptures.",
            "All levels welcome, mats provided, {adj2} atmosphere.",
        ],
        ["sports", "low-key"],
        (15, 30),
    ),
    (
        "Pottery Wheel Class in {hood}",
        [
            "Throw a bowl in a two-hour beginner class.",
            "Pieces are glazed and ready later; {adj2} instructors.",
        ],
        ["artsy", "low-key"],
        (60, 95),
    ),
    (
        "{adj} Holiday Market at {park}",
        ["Handmade gifts, ornaments and hot cider.", "Free to browse, {adj2} stalls open daily."],
        ["outdoor", "family-friendly", "free"],
        (0, 0),
    ),
    (
        "Film Screening: {film}",
        ["A restored print followed by a Q&A.", "Popcorn and a {adj2} crowd of cinephiles."],
        ["artsy", "low-key"],
        (12, 18),
    ),
    (
        "Rooftop Party with Skyline Views",
        ["Open bar, a DJ and heated terraces.", "A {adj2} night above {hood}."],
        ["nightlife", "high-energy"],
        (40, 120),
    ),
    (
        "Poetry Slam at {venue}",
        ["Poets compete for audience scores.", "Arrive early; it is {adj2} and always full."],
        ["artsy", "nightlife"],
        (5, 15),
    ),
    (
        "Broadway Musical: {show}",
        [
            "A hit musical with a live orchestra.",
            "Lottery seats and {adj2} rush tickets available.",
        ],
        ["music", "artsy"],
        (60, 200),
    ),
    (
        "Board Game Night in {hood}",
        ["Hundreds of games, snacks and beer.", "A {adj2}, low-key night with friends."],
        ["low-key", "food"],
        (5, 15),
    ),
    (
        "Trivia Night at {venue}",
        ["Six rounds of general knowledge for bar-tab prizes.", "Teams of up to six; {adj2} host."],
        ["nightlife", "free"],
        (0, 0),
    ),
    (
        "Basketball: {team} Home Game",
        ["An NBA game with a halftime show.", "Upper-level seats are the {adj2} way in."],
        ["sports", "high-energy"],
        (35, 150),
    ),
    (
        "Candlelight Concert: {composer}",
        ["A string quartet plays by candlelight in a church.", "A {adj2}, classical hour."],
        ["music", "low-key"],
        (35, 70),
    ),
]
ADJECTIVES = [
    "Late-Night",
    "Winter",
    "Cozy",
    "Underground",
    "Weekend",
    "Sunday",
    "Friday",
    "Midnight",
    "Neighborhood",
    "Pop-Up",
    "Grand",
    "Secret",
    "Candlelit",
    "Rooftop",
]
ADJ2 = ["lively", "mellow", "friendly", "buzzing", "quiet", "packed", "welcoming", "stylish"]
HOODS = [
    ("Williamsburg", "Brooklyn"),
    ("Bushwick", "Brooklyn"),
    ("DUMBO", "Brooklyn"),
    ("Park Slope", "Brooklyn"),
    ("Greenpoint", "Brooklyn"),
    ("Red Hook", "Brooklyn"),
    ("Harlem", "Manhattan"),
    ("Chelsea", "Manhattan"),
    ("East Village", "Manhattan"),
    ("West Village", "Manhattan"),
    ("SoHo", "Manhattan"),
    ("Midtown", "Manhattan"),
    ("Lower East Side", "Manhattan"),
    ("Astoria", "Queens"),
    ("Flushing", "Queens"),
    ("Long Island City", "Queens"),
    ("Jackson Heights", "Queens"),
    ("Mott Haven", "Bronx"),
    ("Arthur Avenue", "Bronx"),
    ("St. George", "Staten Island"),
]
VENUES = [
    "The Bell House",
    "Union Pool",
    "Elsewhere",
    "Le Poisson Rouge",
    "Baby's All Right",
    "The Knitting Factory",
    "Joe's Pub",
    "Rockwood Music Hall",
    "Littlefield",
    "The Sultan Room",
    "Public Records",
    "Nublu",
    "Pete's Candy Store",
    "Sunny's Bar",
]
PARKS = [
    "Prospect Park",
    "Central Park",
    "Bryant Park",
    "McCarren Park",
    "Domino Park",
    "Hudson River Park",
    "Flushing Meadows",
    "Van Cortlandt Park",
    "Fort Greene Park",
]
MUSEUMS = [
    "the Brooklyn Museum",
    "the Met",
    "MoMA PS1",
    "the Whitney",
    "the Bronx Museum",
    "the Queens Museum",
    "the New Museum",
    "the Museum of the City of New York",
]
ARTISTS = [
    "Faith Ringgold",
    "Jean-Michel Basquiat",
    "Georgia O'Keeffe",
    "Romare Bearden",
    "Yayoi Kusama",
    "Diane Arbus",
    "Keith Haring",
    "Alice Neel",
]
REGIONS = ["Sicilian", "Burgundy", "Rioja", "Finger Lakes", "Oregon", "Greek Island"]
FILMS = ["Do the Right Thing", "Taxi Driver", "Manhattan", "Paris Is Burning", "Wild Style"]
SHOWS = ["Hadestown", "Hamilton", "Chicago", "Wicked", "The Lion King", "Moulin Rouge"]
TEAMS = ["Knicks", "Nets", "Liberty"]
COMPOSERS = ["Vivaldi", "Bach", "Mozart", "Debussy", "Chopin", "Beethoven"]
FIRST = [
    "Maya",
    "Luis",
    "Ana",
    "Theo",
    "Priya",
    "Omar",
    "Grace",
    "Jin",
    "Rosa",
    "Dev",
    "Lena",
    "Kofi",
    "Ines",
    "Sam",
    "Noor",
    "Eli",
    "Tara",
    "Marco",
    "Yuki",
    "Ada",
    "Ravi",
    "Zoe",
]
LAST = [
    "Park",
    "Rivera",
    "Chen",
    "Okafor",
    "Diaz",
    "Kowalski",
    "Haddad",
    "Nguyen",
    "Brooks",
    "Singh",
    "Moreau",
    "Costa",
    "Adeyemi",
    "Levy",
    "Santos",
    "Kim",
    "Walsh",
    "Romero",
]
EXTRAS = [
    "Hosted by {person}.", "With special guest {person}.", "{person} curates the night.",
    "Tickets usually sell out about {n} days ahead.", "Capacity is about {n}0 people.",
    "Doors open at {h}:{mm} pm.", "The {n}th edition of a neighborhood favorite.",
    "Cash bar; card for tickets.", "Wheelchair accessible via the side entrance.",
    "Bring ID: some rooms are 21+.", "Coat check available.", "Group discounts for {n}+.",
    "A portion of sales goes to a local food bank.", "Photos encouraged.", "No late entry.",
]  # fmt: skip


def synthetic_records(
    count: int, *, seed: int = 7, start: date = date(2026, 12, 1)
) -> list[EventRecord]:
    """``count`` varied event records spread over three months from ``start``."""
    return [record for record, _ in synthetic_events(count, seed=seed, start=start)]


def synthetic_events(
    count: int, *, seed: int = 7, start: date = date(2026, 12, 1)
) -> list[tuple[EventRecord, tuple[str, ...]]]:
    """Each record with the parts its document is made of: title, place, the kind's
    two sentences and each extra (``search_bench.py`` composes vectors from them)."""
    rng = random.Random(seed)
    return [_event(n, rng, start) for n in range(count)]


def _event(n: int, rng: random.Random, start: date) -> tuple[EventRecord, tuple[str, ...]]:
    pattern, sentences, tags, (low, high) = rng.choice(KINDS)
    hood, borough = rng.choice(HOODS)
    words = {
        "adj": rng.choice(ADJECTIVES),
        "adj2": rng.choice(ADJ2),
        "venue": rng.choice(VENUES),
        "park": rng.choice(PARKS),
        "museum": rng.choice(MUSEUMS),
        "artist": rng.choice(ARTISTS),
        "hood": hood,
        "region": rng.choice(REGIONS),
        "film": rng.choice(FILMS),
        "show": rng.choice(SHOWS),
        "team": rng.choice(TEAMS),
        "composer": rng.choice(COMPOSERS),
    }
    words["person"] = f"{rng.choice(FIRST)} {rng.choice(LAST)}"
    words.update(n=str(rng.randrange(2, 20)), h=str(rng.randrange(5, 11)))
    words["mm"] = rng.choice(["00", "15", "30", "45"])
    title = pattern.format(**words)
    extras = [e.format(**words) for e in rng.sample(EXTRAS, 2)]
    core = " ".join(s.format(**words) for s in sentences)
    description = " ".join([core, *extras])
    first = start + timedelta(days=rng.randrange(90))
    ranged = rng.random() < 0.25
    price = Decimal(rng.randrange(low, high + 1)) if high else Decimal(0)
    location = f"{words['venue']}, {hood}, {borough}"
    record = EventRecord(
        source=rng.choice(WEBSITE_SOURCES[:5]),
        source_id=f"synthetic-{n}",
        title=title,
        url=f"https://example.org/events/synthetic-{n}",
        date_status=DateStatus.RANGE if ranged else DateStatus.SINGLE,
        extraction_method="synthetic",
        description=description,
        date_start=first,
        date_end=first + timedelta(days=rng.randrange(3, 30)) if ranged else None,
        date_confidence=round(rng.uniform(0.5, 1.0), 2),
        location=location,
        price_min=price,
        price_max=price if not ranged else price + 10,
        vibe_tags=tuple(tags),
    )
    return record, (title, location, core, *extras)


QUERIES = [
    "free outdoor music in brooklyn", "cheap immersive art", "stand-up comedy tonight",
    "comedy under $30", "jazz club in the west village", "things to do with kids",
    "holiday market", "ice skating", "museum exhibition", "broadway musical",
    "food market with dumplings", "wine tasting", "craft beer festival", "techno party bushwick",
    "salsa dancing", "walking tour history", "ghost tour", "yoga class", "pottery class",
    "film screening classic movie", "rooftop party", "poetry slam", "board games with friends",
    "trivia night", "basketball game", "candlelight concert", "classical music", "gallery opening",
    "chill evening", "late night dancing", "family friendly weekend", "free things in manhattan",
    "queens food", "bronx jazz", "staten island", "romantic date night", "something spooky",
    "learn a new craft", "get some exercise", "live band", "imersive expereince", "comdy nite",
    "art in harlem", "cheap drinks", "puppet show for toddlers", "science for kids",
    "DJ and dancing till sunrise", "quiet museum morning", "outdoor winter activities",
    "best pizza",
]  # fmt: skip
