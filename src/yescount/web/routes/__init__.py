"""One ``APIRouter`` per resource of the JSON API; ``web.api`` assembles them."""
