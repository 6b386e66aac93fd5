"""Deterministic fixture data: categories, keywords, businesses, reviews, users, leads.

The IDs and shapes follow the reference's examples (for instance category
``201565295100608806`` Kitchen Remodel, business ``468046965846925323`` Robert's
Remodeling, negotiation ``519153480500518912`` with message ``519153481515696128``), and
the data is consistent across endpoints: every business found by search has reviews,
every category has a request form, every seeded negotiation has messages.

Everything here is built fresh by functions (no module-level mutable state); IDs derived
from names are stable across runs.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import Any

IMAGE_CDN = "https://production-next-images-cdn.thumbtack.com/i/"

DEMAND_USER_ID = "519153480034934784"
SUPPLY_USER_ID = "1337"
KITCHEN_REMODEL = "201565295100608806"
ROBERTS_REMODELING = "468046965846925323"
SEED_NEGOTIATION = "519153480500518912"
SEED_SEARCH = "548954743629463556"


def stable_id(*parts: str) -> str:
    """An 18-digit numeric ID derived from ``parts``: the same on every run."""
    digest = hashlib.sha256("/".join(parts).encode()).digest()
    number = int.from_bytes(digest[:8], "big") % 800_000_000_000_000_000
    return str(100_000_000_000_000_000 + number)


@dataclass(frozen=True, kw_only=True)
class Category:
    """A service category with its keywords and request form."""

    category_id: str
    name: str
    slug: str
    image_id: str
    active_services: int
    keywords: tuple[str, ...]


CATEGORIES: tuple[Category, ...] = (
    Category(
        category_id="219264413294461288",
        name="House Cleaning",
        slug="house-cleaning",
        image_id="498412289313030155",
        active_services=57,
        keywords=("House Cleaning", "Deep Cleaning", "Move-out Cleaning"),
    ),
    Category(
        category_id=KITCHEN_REMODEL,
        name="Kitchen Remodel",
        slug="kitchen-remodel",
        image_id="323234851485638001",
        active_services=41,
        keywords=("Kitchen Remodel", "Cabinet Installation", "Countertop Installation"),
    ),
    Category(
        category_id="109125193401647362",
        name="Handyman",
        slug="handyman",
        image_id="323234851485638002",
        active_services=88,
        keywords=("Handyman", "Carpenters", "Furniture Assembly"),
    ),
    Category(
        category_id="152396937238036850",
        name="TV Mounting",
        slug="tv-mounting",
        image_id="323234851485638003",
        active_services=23,
        keywords=("TV Mounting", "Home Theater Installation"),
    ),
    Category(
        category_id="124319844707721647",
        name="Outdoor Landscaping and Design",
        slug="landscaping",
        image_id="323234851485638725",
        active_services=35,
        keywords=("Landscaping", "Tree Trimming", "Lawn Mowing"),
    ),
    Category(
        category_id="240123621172183344",
        name="Full Service Lawn Care",  # the name Thumbtack's real test lead gives this ID
        slug="full-service-lawn-care",
        image_id="323234851485638004",
        active_services=19,
        keywords=("Full Service Lawn Care", "Lawn Care", "Yard Work"),
    ),
    Category(
        category_id="102906936603224000",
        name="Carpet Cleaning",
        slug="carpet-cleaning",
        image_id="323234851485638005",
        active_services=30,
        keywords=("Carpet Cleaning", "Upholstery Cleaning", "Car Detailing"),
    ),
    Category(
        category_id="133155488880427418",
        name="Plumbing",
        slug="plumbing",
        image_id="323234851485638006",
        active_services=64,
        keywords=("Plumbing", "Leaky Faucet Repair", "Water Heater Installation"),
    ),
)

#: keyword IDs taken from the reference where it gives them
KNOWN_KEYWORD_IDS = {"Carpet Cleaning": "102906936603224901", "Carpenters": "102906936594770749"}

HOMECARE_TASKS: dict[str, tuple[tuple[str, str, str], ...]] = {
    # category_id -> (taskID, title, description)
    "124319844707721647": (
        ("422486850969493532", "Trim trees", "Keep branches clear of the roof and power lines."),
    ),
    "219264413294461288": (
        (
            "422486850969493533",
            "Deep clean the kitchen",
            "Degrease the oven, hood and backsplash twice a year.",
        ),
    ),
    "133155488880427418": (
        (
            "422486850969493534",
            "Flush the water heater",
            "Drain sediment once a year to keep it efficient.",
        ),
    ),
    "102906936603224000": (
        (
            "422486850969493535",
            "Steam clean carpets",
            "Deep clean high-traffic areas every 12-18 months.",
        ),
    ),
}


@dataclass(frozen=True, kw_only=True)
class Business:
    """A pro's business as the marketplace shows it."""

    business_id: str
    name: str
    category_id: str
    introduction: str
    location: str
    rating: float
    years: int
    hires: int
    top_pro: bool
    owner_user_id: str | None = None
    phone: str = "+14155550100"


def _business(
    name: str,
    category_id: str,
    intro: str,
    *,
    location: str,
    rating: float,
    years: int,
    hires: int,
    top: bool = False,
    business_id: str | None = None,
    owner: str | None = None,
) -> Business:
    return Business(
        business_id=business_id or stable_id("business", name),
        name=name,
        category_id=category_id,
        introduction=intro,
        location=location,
        rating=rating,
        years=years,
        hires=hires,
        top_pro=top,
        owner_user_id=owner,
    )


def make_businesses() -> tuple[Business, ...]:
    """Two or three businesses per category; the supply demo user owns two of them."""
    rows: list[Business] = [
        _business(
            "Robert's Remodeling",
            KITCHEN_REMODEL,
            "Full kitchen renovations, cabinets and counters since 2009.",
            location="San Francisco, CA",
            rating=4.8,
            years=15,
            hires=212,
            top=True,
            business_id=ROBERTS_REMODELING,
            owner=SUPPLY_USER_ID,
        ),
        _business(
            "Robert's Aerial Photography",
            "152396937238036850",
            "Drone photos for listings; TV mounting on the side.",
            location="Oakland, CA",
            rating=4.6,
            years=6,
            hires=48,
            business_id="1337",
            owner=SUPPLY_USER_ID,
        ),
        _business(
            "Max",
            "109125193401647362",
            "Hello! I am a professional handyman in Los Angeles...",
            location="Los Angeles, CA",
            rating=4.9,
            years=8,
            hires=310,
            top=True,
            business_id="479288677004124167",
        ),
    ]
    extra = {
        "219264413294461288": ("Sparkle & Shine Cleaning", "Maid in the Bay"),
        KITCHEN_REMODEL: ("Golden Gate Kitchens",),
        "109125193401647362": ("Fix-It Felix Handyman Services",),
        "152396937238036850": ("Mount Masters",),
        "124319844707721647": ("Evergreen Landscapes", "Canopy Tree Care"),
        "240123621172183344": ("Haul Away Heroes", "Clutter Busters"),
        "102906936603224000": ("Fresh Fibers Carpet Care", "Steam Team"),
        "133155488880427418": ("Bay Plumbing Co.", "Drip Stoppers"),
    }
    for index, (category_id, names) in enumerate(extra.items()):
        for offset, name in enumerate(names):
            rows.append(
                _business(
                    name,
                    category_id,
                    f"{name}: licensed, insured and on time.",
                    location="San Francisco, CA",
                    rating=round(4.3 + ((index + offset) % 6) / 10, 1),
                    years=3 + (index + offset) % 12,
                    hires=20 + 17 * (index + offset),
                    top=offset == 0,
                )
            )
    return tuple(rows)


REVIEW_TEXTS = (
    ("The crew did an amazing job and cleaned up after themselves.", 5, "EB"),
    ("On time, fair price, would hire again.", 5, "Marcus T."),
    ("Good work overall; scheduling took a couple of tries.", 4, "Priya K."),
)


def make_reviews(business: Business) -> list[dict[str, Any]]:
    """Three reviews for a business (the first one answered by the pro)."""
    reviews = []
    for index, (text, rating, reviewer) in enumerate(REVIEW_TEXTS):
        review_id = (
            "5343987659230309812"
            if business.business_id == ROBERTS_REMODELING and index == 0
            else stable_id("review", business.business_id, str(index))
        )
        reviews.append(
            {
                "reviewID": review_id,
                "businessID": business.business_id,
                "reviewText": text,
                "rating": rating,
                "createTime": f"2023-0{4 + index}-02T01:43:49Z",
                "reviewerName": reviewer,
                "responseText": "Thank you so much for the kind words!" if index == 0 else None,
                "responseTime": "2023-04-03T10:00:00Z" if index == 0 else None,
                "negotiationID": stable_id("review-negotiation", business.business_id, str(index)),
                "categoryID": business.category_id,
                "images": (
                    [
                        {
                            "imageID": "123456",
                            "imageURL": "https://example.com/image.jpg",
                            "caption": "Finished work",
                        }
                    ]
                    if index == 0
                    else []
                ),
            }
        )
    return reviews


def make_request_form(category: Category) -> dict[str, Any]:
    """The request form of a category (Kitchen Remodel uses the reference's IDs)."""
    is_kitchen = category.category_id == KITCHEN_REMODEL
    answers = [
        (
            "316487650924830878" if is_kitchen else stable_id("answer", category.slug, "0"),
            "Repair of existing tiling or flooring" if is_kitchen else f"Standard {category.name}",
        ),
        (
            stable_id("answer", category.slug, "1"),
            "Full renovation" if is_kitchen else f"Large {category.name} project",
        ),
        (stable_id("answer", category.slug, "2"), "Not sure yet"),
    ]
    return {
        "requestFormID": "360027128293056514"
        if is_kitchen
        else stable_id("request-form", category.category_id),
        "questions": [
            {
                "questionID": "326918438863339640"
                if is_kitchen
                else stable_id("question", category.slug, "0"),
                "inputType": "default",
                "prompt": "What kind of work would you like done?",
                "questionType": "checkboxOption",
                "answers": [
                    {"answerID": aid, "value": value, "type": "selectionOption"}
                    for aid, value in answers
                ],
                "validationConstraints": {
                    "minimumAnswersSelected": 1,
                    "maximumAnswersSelected": 3,
                    "minimumAnswerLength": 0,
                    "maximumAnswerLength": 16384,
                },
            },
            {
                "questionID": stable_id("question", category.slug, "1"),
                "inputType": "default",
                "prompt": "Anything else the pro should know?",
                "questionType": "textBox",
                "answers": [],
                "validationConstraints": {
                    "minimumAnswersSelected": 0,
                    "maximumAnswersSelected": 1,
                    "minimumAnswerLength": 0,
                    "maximumAnswerLength": 16384,
                },
            },
        ],
    }


def make_users() -> dict[str, dict[str, Any]]:
    """The demand (customer) and supply (pro) demo users, by userID."""
    return {
        DEMAND_USER_ID: {
            "userID": DEMAND_USER_ID,
            "email": "olivia.young@example.com",
            "firstName": "Olivia",
            "lastName": "Young",
            "phoneNumber": "+14155550142",
        },
        SUPPLY_USER_ID: {
            "userID": SUPPLY_USER_ID,
            "email": "hello@world.com",
            "firstName": "Hello",
            "lastName": "World",
            "phoneNumber": "+14155550199",
        },
    }


def seed_messages() -> list[dict[str, Any]]:
    """The messages of the seeded negotiation."""
    customer = {"customerID": DEMAND_USER_ID, "displayName": "Olivia Y."}
    business = {"businessID": ROBERTS_REMODELING, "displayName": "Robert's Remodeling"}
    # As in real MessageCreatedV4 deliveries: every message names both parties, and
    # ``attachments`` appears only when there are some.
    return [
        {
            "messageID": "519153481515696128",
            "negotiationID": SEED_NEGOTIATION,
            "customer": customer,
            "business": business,
            "from": "Customer",
            "text": "Are you available on my date?",
            "sentAt": "2024-06-13T17:18:01Z",
        },
        {
            "messageID": "519153481515696129",
            "negotiationID": SEED_NEGOTIATION,
            "customer": customer,
            "business": business,
            "from": "Business",
            "text": "Yes, we can start that week.\r\nCan I come by for a measurement?",
            "sentAt": "2024-06-13T18:02:44Z",
        },
        {
            "messageID": "519153481515696130",
            "negotiationID": SEED_NEGOTIATION,
            "customer": customer,
            "business": business,
            "from": "Customer",
            "text": "Thursday at 10 works for me.",
            "sentAt": "2024-06-13T18:30:12Z",
        },
    ]
