"""The small, fixed vocabularies the content libraries and the preferences share.

Each is a mapping from the word a file uses to what it means, declared once here:
``library_check`` refuses content that uses a word not listed, and the preferences
can refuse an ``off_limits`` topic, an interest or an ``avoid`` tag that no content
carries (with a did-you-mean), instead of accepting it silently. The meanings are
what the README and ``ritual init`` can show. All words are ``[a-z0-9-]+``.

No imports: the preferences read this whenever the file names a tag (most starts).
"""

# Topics a prompt can touch, and a couple can rule out (conversation.off_limits).
# A prompt carries every one it touches; most prompts touch none.
TOPICS = {
    "children": "having, raising or not having children",
    "conflict": "a disagreement, a hurt or a criticism between the two of you",
    "family": "parents, siblings and the home you grew up in",
    "health": "physical or mental health, illness, sleep and the body",
    "in-laws": "each other's families and their place in your life",
    "intimacy": "touch, affection and physical closeness",
    "money": "income, spending, debt and saving",
    "past-relationships": "former partners and earlier relationships",
    "sex": "your sexual life together",
    "work": "jobs, careers, studies and looking for work",
}

# What a date idea can be about (date_night.interests prefers these; avoid can rule one out).
INTERESTS = {
    "art": "drawing, painting, galleries",
    "cooking": "making food together",
    "crafts": "making things by hand",
    "dancing": "moving to music, lessons or not",
    "food": "eating out, tasting, markets",
    "games": "board, card, puzzle and party games",
    "gardening": "plants, growing things",
    "hiking": "walks and trails",
    "history": "the past of places and people",
    "learning": "classes, talks, trying a new skill",
    "movies": "films at home or at the cinema",
    "music": "listening, playing, singing",
    "nature": "parks, wildlife, the open air",
    "photography": "taking and looking at pictures",
    "reading": "books, poems, stories",
    "science": "how things work, stars, experiments",
    "sports": "playing or watching sport",
    "theatre": "plays, comedy, performances",
    "travel": "trips and other places",
    "volunteering": "helping others together",
    "wellness": "rest, stretching, calm",
}

# What a date idea involves that a couple may want to avoid (date_night.avoid).
AVOID = {
    "alcohol": "centred on drinks",
    "animals": "close to animals",
    "crowds": "among many people",
    "driving": "needs a car or a long trip out of town",
    "heights": "high places or climbing",
    "late-night": "runs late into the night",
    "noise": "loud places",
    "physical": "physically demanding",
    "spending": "centred on buying things",
    "water": "in or on the water",
}

# Words a couple may have used before the vocabulary was fixed, or reach for first:
# never accepted (one word, one meaning), but the error suggests the word to use.
ALIASES = {
    "kids": "children",
    "parenting": "children",
    "exes": "past-relationships",
    "ex": "past-relationships",
    "past": "past-relationships",
    "finances": "money",
    "jobs": "work",
    "career": "work",
    "body": "health",
    "parents": "family",
    "touch": "intimacy",
    "drinking": "alcohol",
    "films": "movies",
    "board-games": "games",
}

# What kind of work a practice does; the first check-ins use foundation only.
KINDS = {
    "foundation": "the ground every other practice stands on; walked in order in the first check-ins",
    "connection": "everyday closeness and trust",
    "conflict": "disagreement and what it stirs up; never in the first check-ins",
    "repair": "coming back together after a hurt or a loss of safety; never in the first check-ins",
}

# When a date idea works, by the slot's local start time.
TIMES_OF_DAY = {
    "morning": "starting 05:00-11:59",
    "afternoon": "starting 12:00-16:59",
    "evening": "starting 17:00 or later (or before 05:00)",
}

# When a date idea works, by the season of the couple's hemisphere.
SEASONS = {
    "spring": "March-May in the north, September-November in the south",
    "summer": "June-August in the north, December-February in the south",
    "autumn": "September-November in the north, March-May in the south",
    "winter": "December-February in the north, June-August in the south",
}

# What light a date idea needs at the date night itself (an idea's optional `light`):
# judged from the sun at the principal city of couple.timezone, on that date (see
# date_ideas). Each rule leaves the idea room to happen inside the slot.
LIGHT = {
    "sunrise": "the sun rises during the date night, or at most 15 minutes before it starts",
    "sunset": "the sun sets during the date night, at least 15 minutes before it ends",
    "dark": "at least half the date night is dark: from 45 minutes after sunset to 45 minutes before sunrise",
}

# The stages of the repair agenda, in order: a pause rule, then hear, own, plan.
REPAIR_STAGES = {
    "pause": "the rule for stopping when either of you floods; holds throughout",
    "hear": "each says what happened inside them; nobody argues about facts",
    "own": "each names a part of their own, only if they see one",
    "plan": "one thing each will do differently",
}
