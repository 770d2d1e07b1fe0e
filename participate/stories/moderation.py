"""Safety: flags on stories and quotes, hiding and showing again with a reason, telling the
teller, the commission's moderation log, and answering calls for support."""
