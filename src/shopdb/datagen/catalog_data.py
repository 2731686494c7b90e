"""The catalogue's fixed vocabulary: the category tree, brands and product-name parts.

Each top-level category has its brands and leaves; each leaf has the nouns its products
are named with and a median price in dollars (prices are log-normal around it).
"""

from __future__ import annotations

from typing import NamedTuple


class Leaf(NamedTuple):
    """A leaf category: its name, product nouns, median price in dollars, model codes.

    ``models`` is set where real products carry a model code (electronics, appliances,
    power tools, printers): 'Kyro Pro Smartphone S42', but 'Bramble Organic Black Tea'.
    """

    name: str
    nouns: tuple[str, ...]
    median_dollars: float
    models: bool = False


class TopCategory(NamedTuple):
    """A top-level category: a SKU code, its brands, its leaves and its name words.

    ``series`` are the words between brand and noun in a product's name: a series for
    electronics ('Pro', 'Air'), a style for clothing ('Heritage'), a variety for food
    ('Organic'); for books, the first words of a title.
    """

    name: str
    code: str
    brands: tuple[str, ...]
    leaves: tuple[Leaf, ...]
    series: tuple[str, ...]


def _leaf(name: str, nouns: str, median: float, models: bool = False) -> Leaf:
    return Leaf(name, tuple(nouns.split(",")), median, models)


def _words(text: str) -> tuple[str, ...]:
    return tuple(text.split(","))


TREE: tuple[TopCategory, ...] = (
    TopCategory(
        "Electronics",
        "ELE",
        ("Nexon", "Voltra", "Kyro", "Lumeo", "Arcton", "Sonique"),
        (
            _leaf("Laptops", "Laptop,2-in-1 Laptop,Ultrabook", 899, True),
            _leaf("Smartphones", "Smartphone,Phone", 549, True),
            _leaf("Headphones", "Headphones,Earbuds,Headset", 79, True),
            _leaf("Tablets", "Tablet,Slate", 399, True),
            _leaf("Cameras", "Camera,Action Camera,Mirrorless Camera", 649, True),
            _leaf("Smartwatches", "Smartwatch,Fitness Tracker", 199, True),
            _leaf(
                "Chargers & Accessories",
                "Charger,USB-C Cable,Power Bank,Memory Card,Phone Case",
                19,
                True,
            ),
        ),
        _words("Pro,Air,Ultra,Lite,Max,Plus,Studio,Core,Edge,Nova"),
    ),
    TopCategory(
        "Home & Kitchen",
        "HOM",
        ("Casaluna", "Ferro", "Kitchara", "Nordhem", "Brava"),
        (
            _leaf("Cookware", "Frying Pan,Saucepan,Dutch Oven,Wok", 49),
            _leaf("Small Appliances", "Blender,Toaster,Kettle,Air Fryer", 69, True),
            _leaf("Coffee & Tea", "Coffee Maker,Espresso Machine,Grinder,Teapot", 89, True),
            _leaf("Bedding", "Duvet,Pillow,Sheet Set,Blanket", 59),
            _leaf("Storage", "Storage Box,Shelf Organizer,Food Container Set", 24),
            _leaf("Lighting", "Desk Lamp,Floor Lamp,LED Strip", 39),
        ),
        _words("Classic,Essential,Compact,Deluxe,Everyday,Nordic,Premium,Signature"),
    ),
    TopCategory(
        "Fashion",
        "FAS",
        ("Marlow", "Urbano", "Velde", "Sorrel", "Kinfolk", "Aster"),
        (
            _leaf("Men's Clothing", "Shirt,Jacket,Chinos,Sweater", 45),
            _leaf("Women's Clothing", "Dress,Blouse,Cardigan,Coat", 55),
            _leaf("Shoes", "Sneakers,Boots,Loafers,Sandals", 79),
            _leaf("Bags", "Backpack,Tote Bag,Crossbody Bag,Camera Bag", 59),
            _leaf("Accessories", "Scarf,Belt,Beanie,Gloves", 22),
            _leaf("Watches", "Watch,Chronograph", 149),
        ),
        _words("Classic,Everyday,Heritage,Essential,Vintage,Urban,Linen,Merino"),
    ),
    TopCategory(
        "Sports & Outdoors",
        "SPO",
        ("Peakline", "Trailfox", "Aerowave", "Summit", "Kora"),
        (
            _leaf("Fitness", "Dumbbell Set,Yoga Mat,Kettlebell,Resistance Bands", 35),
            _leaf("Cycling", "Bike Helmet,Bike Light,Cycling Jersey", 49),
            _leaf("Camping", "Tent,Sleeping Bag,Camping Stove", 89),
            _leaf("Running", "Running Shoes,Running Vest,Water Bottle", 59),
            _leaf("Team Sports", "Football,Basketball,Shin Guards", 29),
            _leaf("Water Sports", "Swim Goggles,Wetsuit,Paddle", 39),
        ),
        _words("Pro,Trail,Sport,Performance,Lite,Endurance,Active,Classic"),
    ),
    TopCategory(
        "Books",
        "BOO",
        ("Penfold Press", "Harbor House", "Quill & Co", "Lantern Books"),
        (
            _leaf("Fiction", "Novel,Short Stories,Thriller", 15),
            _leaf("Non-fiction", "Biography,History,Essay Collection", 19),
            _leaf("Children's Books", "Picture Book,Bedtime Stories,Activity Book", 9),
            _leaf("Cookbooks", "Cookbook,Baking Guide", 24),
            _leaf("Science & Tech", "Programming Guide,Science Primer,Handbook", 39),
            _leaf("Comics", "Graphic Novel,Comic Collection", 14),
        ),
        _words("Silent,Northern,Hidden,Last,Golden,Winter,Little,Lost,Open,Wild"),
    ),
    TopCategory(
        "Beauty & Health",
        "BEA",
        ("Lumina", "Verdant", "Puraskin", "Belle", "Vitalis"),
        (
            _leaf("Skincare", "Moisturizer,Serum,Cleanser,Sunscreen", 22),
            _leaf("Hair Care", "Shampoo,Conditioner,Hair Dryer", 18),
            _leaf("Fragrance", "Eau de Parfum,Eau de Toilette", 59),
            _leaf("Makeup", "Lipstick,Mascara,Foundation", 16),
            _leaf("Vitamins", "Multivitamin,Vitamin D,Omega-3", 14),
            _leaf("Personal Care", "Electric Toothbrush,Shaver,Beard Trimmer", 45, True),
        ),
        _words("Hydrating,Gentle,Daily,Radiance,Pure,Sensitive,Repair,Natural"),
    ),
    TopCategory(
        "Toys & Games",
        "TOY",
        ("Jumbly", "Brickworks", "Tinker", "Wonderly", "Playfair"),
        (
            _leaf("Building Sets", "Building Set,Construction Kit", 39),
            _leaf("Board Games", "Board Game,Card Game,Puzzle", 29),
            _leaf("Dolls & Figures", "Doll,Action Figure,Plush Toy", 24),
            _leaf("Outdoor Toys", "Scooter,Kite,Water Blaster", 34),
            _leaf("Educational Toys", "Science Kit,Coding Robot,Globe", 44),
            _leaf("Baby Toys", "Rattle,Activity Gym,Stacking Rings", 19),
        ),
        _words("Junior,Classic,Deluxe,Mini,Adventure,Explorer,Rainbow,Family"),
    ),
    TopCategory(
        "Garden & DIY",
        "GAR",
        ("Greenway", "Toolcraft", "Rootline", "Forgeworks"),
        (
            _leaf("Power Tools", "Cordless Drill,Jigsaw,Angle Grinder", 119, True),
            _leaf("Hand Tools", "Screwdriver Set,Hammer,Wrench Set,Drill Bit Set", 29),
            _leaf("Gardening", "Pruning Shears,Garden Hose,Planter", 27),
            _leaf("Outdoor Furniture", "Garden Chair,Patio Table,Parasol", 149),
            _leaf("Lawn Care", "Lawn Mower,Leaf Blower,String Trimmer", 189, True),
            _leaf("Paint & Supplies", "Paint Roller Set,Wall Paint,Brush Set", 21),
        ),
        _words("Pro,Heavy Duty,Compact,Classic,Premium,Essential,Eco"),
    ),
    TopCategory(
        "Grocery",
        "GRO",
        ("Harvest", "Goldleaf", "Bramble", "Oakfield", "Sunmill"),
        (
            _leaf("Coffee", "Coffee Beans,Ground Coffee,Coffee Pods", 12),
            _leaf("Tea", "Green Tea,Black Tea,Herbal Tea", 7),
            _leaf("Snacks", "Granola Bars,Trail Mix,Crackers", 5),
            _leaf("Pantry", "Olive Oil,Pasta,Rice", 6),
            _leaf("Sweets", "Dark Chocolate,Cookies,Gummies", 5),
            _leaf("Beverages", "Sparkling Water,Juice,Kombucha", 4),
        ),
        _words("Organic,Classic,Original,Fairtrade,Family Pack,Everyday,Artisan,Select"),
    ),
    TopCategory(
        "Pet Supplies",
        "PET",
        ("Pawsome", "Whisker", "Furrow", "Tailwind"),
        (
            _leaf("Dog Food", "Dry Dog Food,Dog Treats,Wet Dog Food", 34),
            _leaf("Cat Food", "Dry Cat Food,Cat Treats,Wet Cat Food", 24),
            _leaf("Pet Toys", "Chew Toy,Cat Teaser,Fetch Ball", 11),
            _leaf("Pet Beds", "Dog Bed,Cat Bed,Pet Blanket", 45),
            _leaf("Aquarium", "Aquarium Filter,Fish Tank,Aquarium Heater", 39),
        ),
        _words("Natural,Classic,Deluxe,Everyday,Premium,Active,Comfort"),
    ),
    TopCategory(
        "Office",
        "OFF",
        ("Scriptor", "Deskwise", "Inkwell", "Papyro"),
        (
            _leaf("Stationery", "Notebook,Pen Set,Sticky Notes,Printer Paper", 9),
            _leaf("Office Chairs", "Office Chair,Ergonomic Chair", 229),
            _leaf("Desks", "Standing Desk,Writing Desk", 299),
            _leaf("Printers & Ink", "Printer,Ink Cartridge,Toner", 59, True),
            _leaf("Monitors", "Monitor,Curved Monitor", 249, True),
        ),
        _words("Pro,Classic,Essential,Ergo,Compact,Premium,Executive"),
    ),
)

BOOK_TITLE_NOUNS = _words("Harbour,Garden,River,Letters,Years,House,Road,Island,Light,Kitchen")
"""Second words of book titles: 'The Silent Harbour (Novel)'."""
PRICE_SIGMA = 0.45
"""Spread of log prices within a leaf: most prices within x/1.6 .. x1.6 of the median."""
