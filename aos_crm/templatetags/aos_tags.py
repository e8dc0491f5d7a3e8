from django import template

register = template.Library()


@register.filter
def get_item(mapping, key):
    """`{{ totals.rooms|get_item:room.pk }}`: a dict lookup by a variable key."""
    if mapping is None:
        return None
    return mapping.get(key)


@register.simple_tag(takes_context=True)
def page_url(context, param, number):
    """`href="{% page_url 'page' 2 %}"`: the current query string with `param` set to `number`
    (dropped for page 1), so a page link keeps the search and the other lists' pages."""
    query = context["request"].GET.copy()
    query.pop(param, None)
    if int(number) > 1:
        query[param] = str(number)
    return f"?{query.urlencode()}" if query else "?"


@register.filter
def change(value, unit=""):
    """`{{ cell.change|change }}`, `{{ rate_change|change:" pts" }}`: the change against the previous
    period as a small signed badge (conversations.review_svg.change); nothing when there is none."""
    from conversations import review_svg

    return review_svg.change(value, unit)
