"""The campaign template library, declared as data: the seed's four campaign types with their checklists.

Each checklist item has its lifecycle phase (Planning, Creation, Launch, Optimization, Reporting), the owner
role (Marketing Ops, Demand Gen, Content, Analytics) and an offset in days from the launch date (negative
before launch). ``workbook_templates/campaign_templates.xlsx`` is generated from this module, and the report
back-schedules a plan for every campaign of the intake from it.
"""

from __future__ import annotations

from dataclasses import dataclass

PHASES = ("Planning", "Creation", "Launch", "Optimization", "Reporting")
OWNER_ROLES = ("Marketing Ops", "Demand Gen", "Content", "Analytics")


@dataclass(frozen=True)
class ChecklistItem:
    """One task of a campaign template.

    Args:
        task: What to do.
        phase: The lifecycle phase.
        owner_role: The role that owns it.
        offset_days: Days from the launch date (negative = before launch).
    """

    task: str
    phase: str
    owner_role: str
    offset_days: int


@dataclass(frozen=True)
class CampaignTemplate:
    """A campaign type's template.

    Args:
        campaign_type: One of the intake's campaign types.
        timeline_weeks: The weeks the campaign takes from kick-off to report.
        purpose: One sentence on when to use it.
        items: The checklist, in order.
    """

    campaign_type: str
    timeline_weeks: int
    purpose: str
    items: tuple[ChecklistItem, ...]

    @property
    def reference(self) -> str:
        """The template's reference, e.g. "TPL-PL" (also its sheet in campaign_templates.xlsx)."""
        return "TPL-" + "".join(w[0] for w in self.campaign_type.split()).upper()


def _items(*rows: tuple[str, str, str, int]) -> tuple[ChecklistItem, ...]:
    return tuple(ChecklistItem(*r) for r in rows)


MO, DG, CO, AN = OWNER_ROLES
PL, CR, LA, OP, RE = PHASES

TEMPLATES: tuple[CampaignTemplate, ...] = (
    CampaignTemplate(
        "Product launch",
        9,
        "A new product or major feature going to market.",
        _items(
            ("Kick-off: goals, audience, budget and success metrics agreed", PL, MO, -28),
            ("Positioning and messaging document approved", PL, CO, -26),
            ("Launch brief shared with sales and support", PL, DG, -24),
            ("Channel plan and budget split per channel", PL, DG, -23),
            ("Tracking plan: UTMs, naming convention, conversion events", PL, AN, -22),
            ("Landing page copy and design", CR, CO, -20),
            ("Product demo video and screenshots", CR, CO, -18),
            ("Sales enablement: deck, battlecard, FAQ", CR, CO, -16),
            ("Press release and media list", CR, CO, -15),
            ("Email sequence to customers and prospects", CR, MO, -14),
            ("Paid ads: creatives, audiences, bids", CR, DG, -12),
            ("Landing page built with forms connected to the CRM", CR, MO, -10),
            ("Lead scoring and routing rules updated", CR, MO, -9),
            ("Dashboard for launch KPIs set up", CR, AN, -7),
            ("QA: links, UTMs, forms, tracking, mobile", CR, MO, -4),
            ("Go/no-go review", LA, MO, -1),
            ("Launch: publish, send, switch on ads", LA, DG, 0),
            ("Launch-day monitoring: spend, errors, lead flow", LA, AN, 0),
            ("Press and social amplification", LA, CO, 1),
            ("First optimization pass: pause losers, shift budget", OP, DG, 7),
            ("A/B test on the landing page headline", OP, DG, 10),
            ("Weekly channel review", OP, DG, 14),
            ("Pipeline and CAC check against targets", OP, AN, 21),
            ("Launch report to leadership", RE, AN, 28),
            ("Retro: what worked, template updated", RE, MO, 30),
        ),
    ),
    CampaignTemplate(
        "Promotional",
        4,
        "A time-boxed offer, sale or seasonal push.",
        _items(
            ("Offer, dates, margin guard-rails and goals agreed", PL, MO, -14),
            ("Audience segments and channel mix", PL, DG, -13),
            ("Promo codes and pricing set up in the shop or CRM", PL, MO, -12),
            ("Tracking: UTMs and promo-code attribution", PL, AN, -11),
            ("Creatives for ads, email and social", CR, CO, -10),
            ("Landing page or sale collection", CR, CO, -8),
            ("Email and SMS schedule built", CR, MO, -6),
            ("Paid campaigns built with budgets and end dates", CR, DG, -5),
            ("QA: codes, links, stock, checkout", CR, MO, -2),
            ("Launch: emails out, ads live", LA, DG, 0),
            ("Daily pacing and ROAS check", OP, AN, 1),
            ("Mid-promo budget shift to best channels", OP, DG, 4),
            ("Last-chance reminder", OP, MO, 6),
            ("Switch off ads and codes at the end date", OP, DG, 7),
            ("Results vs target: revenue, ROAS, new customers", RE, AN, 10),
            ("Retro and template update", RE, MO, 12),
        ),
    ),
    CampaignTemplate(
        "Content",
        8,
        "A flagship content piece (report, guide, webinar series) that generates demand.",
        _items(
            ("Topic, audience and goal agreed", PL, CO, -28),
            ("Keyword and competitor research", PL, CO, -26),
            ("Outline and sources", PL, CO, -24),
            ("Distribution plan: channels, partners, paid boost", PL, DG, -22),
            ("Draft written", CR, CO, -18),
            ("Expert review and edits", CR, CO, -12),
            ("Design and layout", CR, CO, -9),
            ("Gated landing page and form connected to the CRM", CR, MO, -6),
            ("Nurture emails for downloaders", CR, MO, -4),
            ("Tracking: UTMs and content attribution", CR, AN, -3),
            ("Publish and announce", LA, CO, 0),
            ("Social and newsletter promotion", LA, CO, 1),
            ("Paid boost to lookalike audiences", OP, DG, 3),
            ("SEO check: rankings and internal links", OP, CO, 14),
            ("Leads and pipeline from the piece", RE, AN, 21),
            ("Retro and refresh plan", RE, CO, 28),
        ),
    ),
    CampaignTemplate(
        "Event",
        9,
        "A webinar, conference booth or own event.",
        _items(
            ("Event goals, format and budget agreed", PL, MO, -42),
            ("Venue or webinar platform booked", PL, MO, -40),
            ("Speakers and agenda confirmed", PL, CO, -35),
            ("Registration page and form connected to the CRM", CR, MO, -30),
            ("Invitation emails and partner promotion", CR, MO, -28),
            ("Paid promotion to target accounts", CR, DG, -25),
            ("Slides, demo and run-of-show", CR, CO, -10),
            ("Reminder emails (7 days, 1 day, 1 hour)", CR, MO, -7),
            ("Tech or logistics rehearsal", CR, MO, -2),
            ("Event day: host, record, capture questions", LA, MO, 0),
            ("Attendee and no-show lists to the CRM", LA, AN, 1),
            ("Follow-up emails with the recording", OP, MO, 2),
            ("Hot leads routed to sales", OP, DG, 2),
            ("Recording published as on-demand content", OP, CO, 7),
            ("Registrations, attendance, pipeline vs target", RE, AN, 14),
            ("Retro and template update", RE, MO, 21),
        ),
    ),
)
TEMPLATES_BY_TYPE = {t.campaign_type: t for t in TEMPLATES}
