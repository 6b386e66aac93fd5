"""The suite runner's link to the core :class:`~explorer.core.session.Session`.

:class:`SessionSender` sends each step through :meth:`Session.perform_as` (the window's
and the CLI's one send path: token, sign-in of the Sandbox's demo users, one retry on
"token is not active", the token masked in the record), judges responses with the
contract engine and explains failures with the explanation engine.

Which profile sends a step: the one the step names; else, for a step sent ``as`` the app,
a customer or a pro, the run's profile when it plays that part, else the first of the
environment's that does; else the run's profile when it can
call the step's endpoint (its flow is one the endpoint documents); else the first profile
of the environment holding the flow (and, preferably, a scope) the endpoint documents;
else the run's profile, or none. On the Sandbox the three built-in demo profiles cover
every endpoint, so a suite needs no profile set-up there.
"""

from __future__ import annotations

import threading
from urllib.parse import urlsplit, urlunsplit

from explorer.core.auth import known_secrets
from explorer.core.catalog import Catalog, catalog_of, load_default_catalog
from explorer.core.contract import ContractResult, Verdict, check_response
from explorer.core.environments import EnvironmentKind
from explorer.core.models import Endpoint, Explanation, Flow, RequestSpec, ResponseRecord
from explorer.core.profiles import Profile
from explorer.core.reopen import on_current_sandbox
from explorer.core.session import Session, UnknownEndpoint, request_base, resolve
from explorer.core.suite.model import Step

_THUMBTACK_PATHS = ("/api/v4/", "/oauth2/")
#: who a step may be sent as, in words
ROLES = {
    "app": "a client-credentials profile",
    "customer": "an authorization-code profile with demand:: scopes",
    "pro": "an authorization-code profile with supply:: scopes",
}


def plays(profile: Profile, role: str) -> bool:
    """Whether ``profile`` can send a step meant for ``role`` (see :data:`ROLES`)."""
    if not profile.uses_oauth:
        return False
    if role == "app":
        return profile.flow is Flow.CLIENT_CREDENTIALS
    family = "demand::" if role == "customer" else "supply::"
    return profile.flow is Flow.AUTHORIZATION_CODE and any(
        scope.startswith(family) for scope in profile.scopes
    )


class SessionSender:
    """Sends a suite's steps with ``session``'s current environment (see the module)."""

    def __init__(
        self,
        session: Session,
        *,
        profile: str | None = None,
        catalog: Catalog | None = None,
        timeout_s: float | None = None,
        secrets: tuple[str, ...] = (),
    ) -> None:
        self.session = session
        #: more bare secrets to mask (the values of secret variables the run uses)
        self.secrets = secrets
        self.environment = session.environment
        self.preferred = profile or None
        self.timeout_s = timeout_s
        self._catalog = catalog
        self._lock = threading.Lock()
        self._used: dict[str, Profile] = {}
        self._profiles = session.profiles_for(self.environment.id)
        self._origins = self._other_origins()

    @property
    def environment_name(self) -> str:
        return self.environment.name

    @property
    def catalog(self) -> Catalog:
        with self._lock:
            if self._catalog is None:
                self._catalog = load_default_catalog()
            return self._catalog

    def profile_names(self) -> list[str]:
        return [p.name for p in self._profiles]

    def check_profile(self) -> str:
        """Why the run's profile cannot be used here ("" when it can)."""
        if self.preferred is None or self.preferred in self.profile_names():
            return ""
        names = ", ".join(self.profile_names()) or "none yet"
        return (
            f"There is no profile '{self.preferred}' for the environment "
            f"'{self.environment.name}' (its profiles: {names}). See: thumbtack-explorer "
            "profile list"
        )

    # ----- StepSender --------------------------------------------------------------------
    def base_url(self) -> str:
        return request_base(self.environment).rstrip("/")

    def builtins(self) -> dict[str, str]:
        values = {"base_url": self.base_url()}
        auth = self.environment.auth_base.rstrip("/")
        if auth:
            values["auth_base_url"] = auth
        return values

    def prepare(self, spec: RequestSpec) -> RequestSpec:
        url = spec.url
        base = self.base_url()
        if self.environment.kind is EnvironmentKind.SANDBOX:
            url = on_current_sandbox(url, base)
        parts = urlsplit(url)
        origin = f"{parts.scheme.lower()}://{parts.netloc.lower()}"
        if origin in self._origins and parts.path.startswith(_THUMBTACK_PATHS):
            here = urlsplit(base)
            url = urlunsplit((here.scheme, here.netloc, parts.path, parts.query, ""))
        return RequestSpec(
            method=spec.method,
            url=url,
            headers=spec.headers,
            body=spec.body,
            operation_id=spec.operation_id,
            timeout_s=self.timeout_s if self.timeout_s is not None else spec.timeout_s,
            follow_redirects=spec.follow_redirects,
            thumbtack=self.environment.speaks_thumbtack,
        )

    def endpoint_for(self, spec: RequestSpec) -> Endpoint | None:
        catalog = self.catalog
        if spec.operation_id:
            found = catalog.by_operation_id(spec.operation_id)
            if found is not None:
                return found
        path = urlsplit(spec.url).path
        try:
            endpoint, _values = resolve(f"{spec.method} {path}", catalog.endpoints)
        except UnknownEndpoint:
            return None
        return endpoint if endpoint.operation_id else None

    def profile_for(self, step: Step, endpoint: Endpoint | None) -> tuple[str, str]:
        by_name = {p.name: p for p in self._profiles}
        if step.profile:
            if step.profile not in by_name:
                names = ", ".join(by_name) or "none"
                return "", (
                    f"not sent: the step asks for the profile '{step.profile}', which the "
                    f"environment '{self.environment.name}' does not have (its profiles: "
                    f"{names})"
                )
            return self._use(by_name[step.profile]), ""
        preferred = by_name.get(self.preferred) if self.preferred else None
        if step.role:
            playing = [p for p in self._profiles if plays(p, step.role)]
            if preferred is not None and plays(preferred, step.role):
                playing.insert(0, preferred)
            if playing:
                return self._use(playing[0]), ""
            return "", (
                f"not sent: the step is sent as the {step.role} ({ROLES[step.role]}), and the "
                f"environment '{self.environment.name}' has no such profile. Add one with "
                f"thumbtack-explorer profile add NAME --environment {self.environment.id} ..."
            )
        if endpoint is None or not endpoint.flows:
            chosen = preferred or (self._profiles[0] if self._profiles else None)
            return (self._use(chosen) if chosen else ""), ""
        if preferred is not None and (not preferred.uses_oauth or preferred.flow in endpoint.flows):
            return self._use(preferred), ""
        fitting = [p for p in self._profiles if p.uses_oauth and p.flow in endpoint.flows]
        holding = [p for p in fitting if set(endpoint.scopes) & set(p.scopes)]
        candidates = holding or fitting or ([preferred] if preferred is not None else [])
        if candidates:
            return self._use(candidates[0]), ""
        flows = " or ".join(f.value.replace("_", " ") for f in endpoint.flows)
        return "", (
            f"not sent: {endpoint.operation_id} needs a token of the {flows} flow, and the "
            f"environment '{self.environment.name}' has no profile of that flow. Add one "
            "(thumbtack-explorer profile add NAME --environment "
            f"{self.environment.id} --flow {endpoint.flows[0].value} ...) or give the step "
            'a "profile"'
        )

    def _use(self, profile: Profile) -> str:
        with self._lock:
            self._used[profile.name] = profile
        return profile.name

    def send(self, profile: str, spec: RequestSpec, cancel: threading.Event) -> ResponseRecord:
        with self._lock:
            chosen = self._used.get(profile)
        return self.session.perform_as(chosen, spec, cancel, sign_in=True, mask=True)

    def contract(self, endpoint: Endpoint | None, record: ResponseRecord) -> ContractResult | None:
        if endpoint is None:
            return ContractResult(
                verdict=Verdict.NO_SCHEMA,
                status=record.status,
                operation=f"{record.request.method} {urlsplit(record.request.url).path}",
                note="The API description has no operation for this request, so there is "
                "nothing to check the response against.",
            )
        if record.status is None:
            return None
        catalog = catalog_of(endpoint) or self.catalog
        return check_response(
            catalog, endpoint, status=record.status, headers=record.headers, body=record.body
        )

    def explain(self, endpoint: Endpoint | None, record: ResponseRecord) -> Explanation | None:
        return self.session.explain(record, endpoint=endpoint, known=self.known_secrets())

    def known_secrets(self) -> tuple[str, ...]:
        found: list[str] = []
        with self._lock:
            used = list(self._used.values())
        for profile in used:
            store = self.session.store_for(profile)
            if store is not None:
                found.extend(known_secrets(store, profile.name))
        return tuple(dict.fromkeys(v for v in (*found, *self.secrets) if v))

    def _other_origins(self) -> frozenset[str]:
        """The origins of Thumbtack's environments (requests saved against one of them
        are moved to the one this run calls)."""
        origins: set[str] = set()
        for environment in self.session.environments():
            if environment.kind in (EnvironmentKind.PRODUCTION, EnvironmentKind.STAGING) or (
                environment.kind is EnvironmentKind.CUSTOM and environment.thumbtack
            ):
                parts = urlsplit(environment.api_base)
                if parts.netloc:
                    origins.add(f"{parts.scheme.lower()}://{parts.netloc.lower()}")
        return frozenset(origins)
