"""Marketplace catalogue endpoints: categories, keywords, business search and reviews."""

from __future__ import annotations

import re
import urllib.parse
from typing import Any

from explorer.sandbox import fixtures
from explorer.sandbox.fixtures import Business, Category
from explorer.sandbox.routes import Call, Route, RouteFlow, require, route
from explorer.sandbox.validation import Validator, json_body, query_validator
from explorer.sandbox.wire import Response, json_response

CLIENT = RouteFlow.CLIENT
WEB = "https://www.thumbtack.com"
RECOMMENDATION_TYPES = ("popular", "seasonal", "trending")
#: Thumbtack's v4 docs show only ``propertyType=townhouse``; the value list is not
#: documented for v4. The Sandbox accepts the official legacy homecare list (Slate docs),
#: in lower case as the v4 example writes it, in any case.
PROPERTY_TYPES = (
    "unknown",
    "apartment",
    "single_family_home",
    "commercial",
    "townhouse",
    "multi_family",
    "other",
)
PROPERTY_TYPE_HINT = (
    "must be one of " + ", ".join(PROPERTY_TYPES) + " (the legacy homecare list; "
    "Thumbtack documents no value list for v4, its example is townhouse)"
)


def _near_me(category: Category, utm_source: str) -> str:
    query = urllib.parse.urlencode({"utm_medium": "partnership", "utm_source": utm_source})
    return f"{WEB}/k/{category.slug}/near-me?{query}"


def _category_item(category: Category, utm_source: str) -> dict[str, Any]:
    return {
        "categoryID": category.category_id,
        "name": category.name,
        "nearMeURL": _near_me(category, utm_source),
        "imageURL": f"{fixtures.IMAGE_CDN}{category.image_id}/small/standard/hero",
        "activeServices": category.active_services,
    }


def _score(category: Category, text: str) -> int:
    haystack = " ".join((category.name, *category.keywords)).lower()
    words = [word for word in re.findall(r"[a-z]+", text.lower()) if len(word) >= 3]
    if text.lower().strip() and text.lower().strip() in haystack:
        return 100
    return sum(1 for word in words if word in haystack)


def best_category(call: Call, text: str) -> Category | None:
    scored = sorted(
        ((_score(c, text), c.category_id, c) for c in call.state.categories.values()),
        key=lambda row: (-row[0], row[1]),
    )
    return scored[0][2] if scored and scored[0][0] > 0 else None


@route("GET", "/categories/recommendations", ("demand::categories.read",), CLIENT)
def recommendations(call: Call) -> Response:
    v = query_validator(call.request)
    v.zip_code()
    v.string("recommendationType", choices=RECOMMENDATION_TYPES)
    utm = v.utm_source(call.request.query_value("utmData[utm_source]"), "utmData[utm_source]")
    limit = v.integer("limit", minimum=1, maximum=50, default=10)
    v.check()
    categories = sorted(call.state.categories.values(), key=lambda c: -c.active_services)
    return json_response(200, {"data": [_category_item(c, utm or "") for c in categories][:limit]})


@route("GET", "/categories/homecare", ("demand::categories.read",), CLIENT)
def homecare(call: Call) -> Response:
    v = query_validator(call.request)
    v.zip_code()
    property_type = v.string("propertyType")
    if property_type is not None and property_type.strip().lower() not in PROPERTY_TYPES:
        v.fail("propertyType", PROPERTY_TYPE_HINT)
    utm = v.utm_source(call.request.query_value("utmData[utm_source]"), "utmData[utm_source]")
    v.check()
    items = []
    for category_id, tasks in fixtures.HOMECARE_TASKS.items():
        category = call.state.categories[category_id]
        for task_id, title, description in tasks:
            item = _category_item(category, utm or "")
            item.pop("activeServices")
            item.update(
                {
                    "taskID": task_id,
                    "taskDetails": {
                        "title": title,
                        "description": description,
                        "tagline": "Seasonal upkeep",
                    },
                }
            )
            items.append(item)
    return json_response(200, {"data": items})


@route(
    "GET",
    "/categories/{categoryID}/request-form",
    ("demand::categories/request-form.read",),
    CLIENT,
)
def request_form(call: Call) -> Response:
    category = call.state.categories.get(call.params["categoryID"])
    require(category, f"Category {call.params['categoryID']} does not exist.")
    assert category is not None
    return json_response(200, fixtures.make_request_form(category))


@route("GET", "/categories/search", ("demand::categories.read",), CLIENT)
def categories_search(call: Call) -> Response:
    v = query_validator(call.request)
    text = v.string("searchQuery") or ""
    v.zip_code(required=False)
    limit = v.integer("limit", minimum=1, maximum=50, default=10)
    # Optional: a partner sends utmData[utm_source] here, as on the other category routes.
    raw_utm = call.request.query_value("utmData[utm_source]")
    utm = v.utm_source(raw_utm, "utmData[utm_source]") if raw_utm is not None else None
    v.check()
    found = sorted(
        (c for c in call.state.categories.values() if _score(c, text) > 0),
        key=lambda c: (-_score(c, text), c.name),
    )
    return json_response(200, {"data": [_category_item(c, utm or "") for c in found][:limit]})


@route("GET", "/keywords/search", ("demand::keywords.read",), CLIENT)
def keywords_search(call: Call) -> Response:
    v = query_validator(call.request)
    text = (v.string("searchQuery") or "").lower()
    limit = v.integer("limit", minimum=1, maximum=50, default=10)
    v.check()
    names = sorted({k for c in call.state.categories.values() for k in c.keywords})
    hits = [n for n in names if n.lower().startswith(text)] + [
        n for n in names if text in n.lower() and not n.lower().startswith(text)
    ]
    data = [
        {
            "keywordID": fixtures.KNOWN_KEYWORD_IDS.get(n) or fixtures.stable_id("keyword", n),
            "name": n,
        }
        for n in hits
    ]
    return json_response(200, {"data": data[:limit]})


def _search_item(call: Call, business: Business, zip_code: str, utm: str) -> dict[str, Any]:
    reviews = call.state.reviews.get(business.business_id, [])
    query = urllib.parse.urlencode(
        {
            "category_pk": business.category_id,
            "service_pk": business.business_id,
            "zip_code": zip_code,
            "utm_source": utm,
        }
    )
    service_page = f"{WEB}/embed/service-page?{query}"
    return {
        "businessID": business.business_id,
        "businessName": business.name,
        "businessIntroduction": business.introduction,
        "quote": {"startingCost": "$120.00", "costUnit": "per job"},
        "businessLocation": business.location,
        "businessImageURL": f"{fixtures.IMAGE_CDN}{business.business_id}/small",
        "rating": business.rating,
        "numberOfReviews": len(reviews),
        "featuredReview": reviews[0]["reviewText"] if reviews else None,
        "yearsInBusiness": business.years,
        "numberOfHires": business.hires,
        "responseTimeHours": 2,
        "isTopPro": business.top_pro,
        "isBackgroundChecked": True,
        "pills": ["Top Pro"] if business.top_pro else [],
        "servicePageURL": f"{WEB}/service/{business.business_id}",
        "widgets": {
            "servicePageURL": service_page,
            "requestFlowURL": f"{WEB}/embed/request-flow?{query}",
        },
    }


def _search_response(
    call: Call, category: Category | None, zip_code: str, utm: str, limit: int
) -> Response:
    businesses = call.state.businesses_in(category.category_id)[:limit] if category else []
    search_id = call.state.record_search(
        category.category_id if category else "", zip_code, [b.business_id for b in businesses]
    )
    metadata: dict[str, Any] = {"zipCode": zip_code, "requestLocation": "San Francisco, CA"}
    if category is not None:
        metadata.update(
            {
                "categoryID": category.category_id,
                "categoryName": category.name,
                "seeMoreProsURL": _near_me(category, utm),
            }
        )
    return json_response(
        200,
        {
            "searchID": search_id,
            "data": [_search_item(call, b, zip_code, utm) for b in businesses],
            "metadata": metadata,
        },
    )


@route("POST", "/businesses/search", ("demand::businesses/search.read",), CLIENT)
def businesses_search(call: Call) -> Response:
    v = Validator(json_body(call.request))
    text = v.string("searchQuery", required=False)
    category_id = v.string("categoryID", required=False)
    zip_code = v.zip_code()
    utm = v.utm_body()
    limit = v.integer("limit", minimum=1, maximum=30, default=10) or 10
    if not isinstance(v.data.get("requestFormDetails", []), list):
        v.fail("requestFormDetails", "must be a list of question/answer objects")
    if text is None and category_id is None:
        v.fail("searchQuery", "send searchQuery or categoryID")
    if category_id is not None and category_id not in call.state.categories:
        v.fail("categoryID", f"unknown category {category_id}")
    v.check()
    category = (
        call.state.categories[category_id] if category_id else best_category(call, text or "")
    )
    return _search_response(call, category, zip_code or "", utm or "", limit)


@route("POST", "/businesses/search-filtered", ("demand::businesses/search.read",), CLIENT)
def businesses_search_filtered(call: Call) -> Response:
    v = Validator(json_body(call.request))
    text = v.string("userQuery", max_length=2000)
    zip_code = v.zip_code()
    utm = v.utm_body()
    limit = v.integer("limit", minimum=1, maximum=30, default=10) or 10
    v.check()
    return _search_response(call, best_category(call, text or ""), zip_code or "", utm or "", limit)


def _page(
    call: Call, items: list[dict[str, Any]], path: str, extra: dict[str, str] | None = None
) -> Response:
    v = query_validator(call.request)
    limit = v.integer("limit", minimum=1, maximum=100, default=10) or 10
    offset = v.integer("offset", minimum=0, maximum=1_000_000, default=0) or 0
    v.check()
    pagination: dict[str, Any] = {"limit": limit, "offset": offset}
    if offset + limit < len(items):
        query = urllib.parse.urlencode({**(extra or {}), "limit": limit, "offset": offset + limit})
        pagination["next"] = f"{call.api_base}{path}?{query}"
    return json_response(200, {"data": items[offset : offset + limit], "pagination": pagination})


@route("GET", "/reviews", ("demand::businesses/reviews.read",), CLIENT)
def reviews(call: Call) -> Response:
    v = query_validator(call.request)
    raw = v.string("businessIDs") or ""
    v.check()
    ids = [part.strip() for part in raw.split(",") if part.strip()]
    unknown = [bid for bid in ids if bid not in call.state.businesses]
    require(not unknown, f"Business(es) {', '.join(unknown)} do not exist.")
    with call.state.lock:
        items = [dict(r) for bid in ids for r in call.state.reviews[bid]]
    return _page(call, items, "/api/v4/reviews", {"businessIDs": raw})


@route(
    "GET",
    "/businesses/{businessID}/reviews",
    ("demand::businesses/reviews.read", "supply::businesses.list"),
)
def business_reviews(call: Call) -> Response:
    business_id = call.params["businessID"]
    require(business_id in call.state.businesses, f"Business {business_id} does not exist.")
    with call.state.lock:
        items = [dict(r) for r in call.state.reviews[business_id]]
    return _page(call, items, f"/api/v4/businesses/{business_id}/reviews")


@route("POST", "/businesses/{businessID}/reviews/{reviewID}/response")
def review_response(call: Call) -> Response:
    business_id, review_id = call.params["businessID"], call.params["reviewID"]
    v = Validator(json_body(call.request))
    text = v.string("responseText", max_length=16384)
    v.check()
    with call.state.lock:
        found = [r for r in call.state.reviews.get(business_id, []) if r["reviewID"] == review_id]
        require(found, f"Review {review_id} of business {business_id} does not exist.")
        found[0]["responseText"] = text
        found[0]["responseTime"] = call.state.now()
        return json_response(200, dict(found[0]))


ROUTES: list[Route] = [
    recommendations,
    homecare,
    request_form,
    categories_search,
    keywords_search,
    businesses_search,
    businesses_search_filtered,
    reviews,
    business_reviews,
    review_response,
]
