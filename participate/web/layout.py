"""What every page's layout needs: the person, assisted mode, roles and labels."""

from __future__ import annotations

from flask import Flask, current_app, g
from flask_babel import get_locale
from flask_login import current_user

from participate.accounts import rules as account_rules
from participate.money import format_money, format_whole


def init_app(app: Flask) -> None:
    app.add_template_filter(format_money, "money")
    app.add_template_filter(format_whole, "whole_money")

    @app.context_processor
    def _layout():
        person = current_user._get_current_object() if current_user.is_authenticated else None
        return {
            "may_administer": account_rules.can(person, "administer"),
            "acting_for": g.get("acting_for"),
            "acting_in": g.get("acting_in"),
            "current_locale": str(get_locale() or "en"),
            "languages": current_app.config["LANGUAGES"],
            "place_name": current_app.config["PLACE_NAME"],
            "ROLES": account_rules.ROLES,
            "SPACE_KINDS": account_rules.SPACE_KINDS,
            "ORGANISATION_KINDS": account_rules.ORGANISATION_KINDS,
            "MEMBERSHIP_STATUSES": account_rules.MEMBERSHIP_STATUSES,
            "NOTIFICATION_CHOICES": account_rules.NOTIFICATION_CHOICES,
        }
