"""The Settings page: parse and validate what the merchant typed, then apply it to the shop.

Validation never loses input: a form with errors carries every submitted value back to the page.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from lumen import plans
from lumen.mail import is_address
from lumen.models import Shop, ShopSettings
from lumen.shops import settings_of

TONES = {"friendly": "Friendly", "professional": "Professional", "concise": "Concise"}
WELCOME_MAX = 500
PROMPT_MAX = 60
PROMPTS_MAX = 5
PERSONA_MAX = 1000
RETENTION_MIN, RETENTION_MAX = 1, 365
EMAIL_MAX = 320


@dataclass
class SettingsForm:
    """The submitted (or stored) settings as text, with an error message per invalid field."""

    tone: str = "friendly"
    welcome_message: str = ""
    quick_prompts: str = ""
    escalation_email: str = ""
    persona: str = ""
    retention_days: str = "90"
    errors: dict[str, str] = field(default_factory=dict)

    @classmethod
    def from_settings(cls, settings: ShopSettings) -> SettingsForm:
        """The form as it shows the shop's current settings."""
        return cls(tone=settings.tone, welcome_message=settings.welcome_message,
                   quick_prompts="\n".join(settings.quick_prompts or []),
                   escalation_email=settings.escalation_email or "", persona=settings.persona,
                   retention_days=str(settings.retention_days))

    @classmethod
    def parse(cls, data: Mapping[str, str], shop: Shop) -> SettingsForm:
        """Read a submitted form and validate it against the shop's plan."""
        form = cls(**{name: data.get(name, "").strip() for name in _FIELDS})
        form.errors = _errors(form, shop)
        return form

    @property
    def prompts(self) -> list[str]:
        """The quick prompts, one per non-blank line."""
        return [line.strip() for line in self.quick_prompts.splitlines() if line.strip()]

    @property
    def valid(self) -> bool:
        """True when no field has an error."""
        return not self.errors


_FIELDS = ("tone", "welcome_message", "quick_prompts", "escalation_email", "persona",
           "retention_days")


def update_settings(shop: Shop, form: SettingsForm) -> ShopSettings:
    """Apply a valid form to the shop's settings (the caller commits)."""
    if not form.valid:
        raise ValueError("cannot apply a form with errors")
    settings = shop.settings = settings_of(shop)
    settings.tone = form.tone
    settings.welcome_message = form.welcome_message
    settings.quick_prompts = form.prompts
    settings.retention_days = int(form.retention_days)
    if plans.may_use(shop, "escalation_email"):
        settings.escalation_email = form.escalation_email or None
    if plans.may_use(shop, "ai_persona"):
        settings.persona = form.persona
    return settings


def _errors(form: SettingsForm, shop: Shop) -> dict[str, str]:
    checks = {
        "tone": _tone_error(form.tone),
        "welcome_message": _welcome_error(form.welcome_message),
        "quick_prompts": _prompts_error(form.prompts),
        "escalation_email": _email_error(form.escalation_email, shop),
        "persona": _persona_error(form.persona, shop),
        "retention_days": _retention_error(form.retention_days),
    }
    return {name: message for name, message in checks.items() if message}


def _tone_error(tone: str) -> str | None:
    if tone not in TONES:
        return "Choose one of the tones listed."
    return None


def _welcome_error(text: str) -> str | None:
    if not text:
        return "Enter the first message shoppers see."
    if len(text) > WELCOME_MAX:
        return f"Keep the welcome message under {WELCOME_MAX} characters (it has {len(text)})."
    return None


def _prompts_error(prompts: list[str]) -> str | None:
    if len(prompts) > PROMPTS_MAX:
        return f"Use at most {PROMPTS_MAX} quick prompts (there are {len(prompts)})."
    too_long = next((prompt for prompt in prompts if len(prompt) > PROMPT_MAX), None)
    if too_long:
        return f"Keep each quick prompt under {PROMPT_MAX} characters: “{too_long[:30]}…”."
    return None


def _email_error(email: str, shop: Shop) -> str | None:
    if not email:
        return None
    if not plans.may_use(shop, "escalation_email"):
        plan = plans.required_plan_name("escalation_email")
        return f"Escalation email alerts are part of the {plan} plan and above."
    # One plain address: it becomes the To header of every alert.
    if len(email) > EMAIL_MAX or not is_address(email):
        return "Enter an email address such as support@yourstore.com."
    return None


def _persona_error(persona: str, shop: Shop) -> str | None:
    if not persona:
        return None
    if not plans.may_use(shop, "ai_persona"):
        return f"The AI persona is part of the {plans.required_plan_name('ai_persona')} plan."
    if len(persona) > PERSONA_MAX:
        return f"Keep the persona under {PERSONA_MAX} characters (it has {len(persona)})."
    return None


def _retention_error(days: str) -> str | None:
    # ASCII digits only: isdigit() accepts "²", which int() refuses, and int() takes "٣".
    if not (days.isascii() and days.isdecimal()) or not RETENTION_MIN <= int(days) <= RETENTION_MAX:
        return f"Enter a whole number of days from {RETENTION_MIN} to {RETENTION_MAX}."
    return None
