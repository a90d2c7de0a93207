"""What the Skills page and each skill's detail page say about a skill, in the brand's words.

The prerequisites and the Live/Unavailable status come from `agent.skills.availability`;
this is the reference text around them: overview, response behaviour, tools, channels.
"""

from __future__ import annotations

from dataclasses import dataclass

from deskhand.domain.vocabulary import Intent, Skill


@dataclass(frozen=True)
class SkillPage:
    title: str
    summary: str
    overview: tuple[str, ...]
    behaviour: tuple[tuple[str, str], ...]  # (situation, what the agent does)
    tools: tuple[str, ...]
    channels: tuple[tuple[str, str], ...]  # (channel, how the skill shows there)
    prerequisites: tuple[str, ...]
    intents: tuple[Intent, ...]


PAGES: dict[Skill, SkillPage] = {
    Skill.ORDER_EDITING: SkillPage(
        title="Order Editing",
        summary="Changes and cancellations: the shopper finishes them in the Customer Hub.",
        overview=(
            "Searches your content for your policy on order changes and cancellations.",
            "Asks the shopper to verify (a code to the email or phone on the account).",
            "Fetches the shopper's orders from your store and picks the one meant.",
            "Decides, item by item, whether the order can still change.",
            "Sends the shopper to the Customer Hub to make the change. "
            "The agent never changes an order itself.",
        ),
        behaviour=(
            ("Unfulfilled (editable)", "A direct link or card to edit the order in the Hub."),
            ("Partially fulfilled", "Says which items can still change and which shipped."),
            ("Fulfilled or shipped", "Says so and hands over to Returns & Exchanges."),
            ("Change window passed", "Explains the window and the cancellation terms."),
            ("Adding items", "Explains that a new order is needed, or offers a person."),
        ),
        tools=("Customer Hub", "Your store (orders and customers)", "Knowledge base"),
        channels=(
            ("Web chat", "An order card with a button to edit in the Hub."),
            ("SMS and WhatsApp", "A deep link to the order in the Hub."),
            ("Email", "A deep link to the order in the Hub."),
        ),
        prerequisites=(
            "Customer Hub active",
            "A store connected, with its orders",
            "Content about changing and cancelling orders",
        ),
        intents=(Intent.CHANGE_ITEM, Intent.CHANGE_ADDRESS, Intent.CANCEL_ORDER, Intent.ADD_ITEM),
    ),
    Skill.RETURNS: SkillPage(
        title="Returns & Exchanges",
        summary="Return and exchange requests, eligibility, and the way into the return flow.",
        overview=(
            "Answers questions about your return and exchange policy from your content.",
            "Verifies the shopper and fetches their orders.",
            "Checks each item against the return window and excluded categories.",
            "Links the shopper to start the return or exchange.",
        ),
        behaviour=(
            ("Eligible item", "A link or card to start the return."),
            ("Window passed or excluded", "Says why the item cannot go back."),
            ("Refund status", "Explains refund times from your rules."),
        ),
        tools=("Customer Hub", "Returns provider", "Your store", "Knowledge base"),
        channels=(
            ("Web chat", "An order card with a Start a return button."),
            ("SMS and WhatsApp", "A deep link to the returns page."),
            ("Email", "A deep link to the returns page."),
        ),
        prerequisites=(
            "Customer Hub active",
            "A store connected",
            "A returns provider (Loop, AfterShip, or the built-in store's returns)",
            "Content about returns",
        ),
        intents=(Intent.RETURN_REQUEST, Intent.EXCHANGE, Intent.REFUND_STATUS),
    ),
    Skill.TRACKING: SkillPage(
        title="Order Tracking",
        summary="Where is my order: status, carrier, tracking link and expected delivery.",
        overview=(
            "Verifies the shopper, then finds the order meant.",
            "Shows its status, each shipment's carrier and tracking link, and the delivery "
            "estimate.",
        ),
        behaviour=(
            ("Not shipped yet", "Says when it is expected to ship."),
            ("On its way", "Carrier, tracking link and expected delivery."),
            ("Delivered", "When and where it was delivered."),
        ),
        tools=("Your store (orders and shipments)",),
        channels=(
            ("Web chat", "An order card with the tracking link."),
            ("SMS, WhatsApp, email", "The status and the tracking link as text."),
        ),
        prerequisites=("A store connected",),
        intents=(Intent.ORDER_STATUS,),
    ),
    Skill.POLICY: SkillPage(
        title="Policy Questions",
        summary="Shipping, returns, changes and payment questions answered from your content.",
        overview=(
            "Searches your knowledge base in any of your languages.",
            "Answers in the shopper's language and cites the article it used.",
            "With no matching content it says it cannot give a definitive answer and offers a "
            "person.",
        ),
        behaviour=(
            ("A matching article", "A short answer and the source."),
            ("No matching article", "No guess: it offers a person."),
        ),
        tools=("Knowledge base",),
        channels=(("Every channel", "The answer as text, with the source."),),
        prerequisites=("Policy content in the knowledge base",),
        intents=(
            Intent.POLICY_SHIPPING,
            Intent.POLICY_RETURNS,
            Intent.POLICY_CHANGES,
            Intent.POLICY_PAYMENT,
        ),
    ),
    Skill.HANDOFF: SkillPage(
        title="Handoff",
        summary="A person takes over what the agent cannot resolve. Always on.",
        overview=(
            "Offers a person when the shopper asks or the agent cannot help.",
            "Hands over the whole conversation so nobody has to ask again.",
        ),
        behaviour=(
            ("Shopper asks for a person", "Confirms, then hands over."),
            ("Agent cannot help", "Says so and offers a person."),
        ),
        tools=("Your team",),
        channels=(("Every channel", "The offer and the confirmation as text."),),
        prerequisites=(),
        intents=(Intent.HUMAN_HANDOFF,),
    ),
}
