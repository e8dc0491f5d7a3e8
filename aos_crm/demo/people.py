"""Invented people, places and companies for the demo activity. Names are common first and last
names combined at random; every email is @example.com and every phone number a 555-01xx one."""

FIRST_NAMES = (
    "Aaron", "Abigail", "Adrian", "Aisha", "Alicia", "Andre", "Angela", "Ben", "Bianca", "Brandon",
    "Brianna", "Caleb", "Carmen", "Carlos", "Chloe", "Chris", "Claire", "Daniel", "Danielle", "Derek",
    "Diana", "Dylan", "Elena", "Elijah", "Emily", "Eric", "Erin", "Fatima", "Gabriel", "Grace",
    "Hannah", "Hector", "Isaac", "Isabel", "Jacob", "Jasmine", "Jason", "Jenna", "Jose", "Julia",
    "Kevin", "Kayla", "Laura", "Leah", "Luis", "Maria", "Marcus", "Megan", "Michael", "Monica",
    "Nathan", "Nicole", "Noah", "Olivia", "Omar", "Paige", "Priya", "Rachel", "Ryan", "Sara",
    "Sean", "Sofia", "Steven", "Tanya", "Trevor", "Vanessa", "Victor", "Wesley", "Yvonne", "Zach",
)  # fmt: skip

LAST_NAMES = (
    "Adams", "Alvarez", "Bailey", "Bennett", "Brooks", "Bui", "Campbell", "Castillo", "Chen", "Coleman",
    "Cruz", "Delgado", "Diaz", "Edwards", "Ellis", "Fischer", "Flores", "Foster", "Garcia", "Gomez",
    "Grant", "Gupta", "Hall", "Harris", "Hernandez", "Hughes", "Jackson", "Jensen", "Johnson", "Kaur",
    "Keller", "Khan", "Lee", "Lopez", "Martin", "Martinez", "Mendoza", "Miller", "Mitchell", "Morales",
    "Murphy", "Nguyen", "Nelson", "O'Brien", "Ortiz", "Owens", "Patel", "Perez", "Phillips", "Price",
    "Ramirez", "Reed", "Reyes", "Rogers", "Romero", "Russell", "Sanchez", "Schmidt", "Shah", "Smith",
    "Sullivan", "Taylor", "Thompson", "Torres", "Tran", "Turner", "Vargas", "Walker", "Watson", "Wright",
)  # fmt: skip

# (city, state, zip codes); the store sits in a metro area with an 8.25 % sales tax.
PLACES = (
    ("Austin", "TX", ("78702", "78704", "78723", "78731", "78745", "78748", "78757")),
    ("Round Rock", "TX", ("78664", "78665", "78681")),
    ("Cedar Park", "TX", ("78613",)),
    ("Georgetown", "TX", ("78626", "78628")),
    ("Pflugerville", "TX", ("78660",)),
    ("Leander", "TX", ("78641",)),
    ("Kyle", "TX", ("78640",)),
    ("Buda", "TX", ("78610",)),
    ("Lakeway", "TX", ("78734",)),
    ("Dripping Springs", "TX", ("78620",)),
    ("Hutto", "TX", ("78634",)),
    ("San Marcos", "TX", ("78666",)),
)
PLACE_WEIGHTS = (30, 8, 7, 6, 6, 5, 5, 4, 4, 3, 3, 4)
AREA_CODES = ("512", "512", "512", "737")

STREETS = (
    "Cedar Hollow Dr", "Live Oak Ln", "Bluebonnet Trl", "Mesa Verde Cv", "Pecan Grove Rd", "Limestone Ct",
    "Creekside Way", "Hillcrest Ave", "Prairie Wind Dr", "Sunset Ridge Blvd", "Windmill Ct", "Canyon View Dr",
    "Meadowlark Ln", "Old Mill Rd", "Quarry Stone Path", "Redbud Trl", "Agave Bend", "Juniper Loop",
    "Sycamore St", "Wildflower Cir",
)  # fmt: skip

CONTRACTORS = (
    "Sample Tile Installers", "Demo Remodeling Co.", "Example Home Services", "Placeholder Tile & Bath",
    "Sample Flooring Pros", "Demo Kitchen & Bath Works", "Example Custom Homes",
)  # fmt: skip
DESIGN_FIRMS = ("Example Interiors", "Demo Design Studio", "Sample & Co. Design", "Placeholder Interiors")
COMMUNITIES = ("Sample Ridge", "Example Oaks", "Demo Meadows", "Placeholder Hills")

CUSTOMER_NOTES = (
    "Prefers weekend appointments.",
    "Has two large dogs: wants a scratch-resistant, non-slip floor.",
    "Works nights; text before calling.",
    "Saw our booth at the home show.",
    "Repeat customer: did the kitchen with us two years ago.",
    "Wants everything delivered in one trip.",
    "Uses a wheelchair: flush thresholds matter.",
    "Brings the kids to the showroom; pull samples ahead of time.",
)
PRO_NOTES = (
    "Pro desk account; net-30 billing.",
    "Runs two install crews; usually orders on Mondays.",
    "Prefers pickup at the dock before 8 am.",
    "Builder: several spec homes a quarter.",
    "Asks for lead times up front on every order.",
)
PROJECT_NOTES = (
    "Wants everything on one delivery.",
    "Dog in the house; schedule deliveries in the morning.",
    "HOA needs the material list before work starts.",
    "Contractor will measure again before the order.",
    "Selling the house in spring; wants neutral colors.",
    "Aging in place: curbless shower and non-slip floor.",
)
SPECIAL_INSTRUCTIONS = (
    "Deliver to the driveway; call 30 minutes before arrival.",
    "Customer picks up at will-call.",
    "Hold material until the contractor confirms the start date.",
    "Gate code required; ask the customer the day before delivery.",
    "Deliver to the garage; no stairs.",
    "Split delivery: setting materials first, tile the following week.",
)
