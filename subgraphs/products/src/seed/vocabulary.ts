import type { CategoryId } from '../domain/categories';

/** One way a product can differ: a word for its name and a sentence for its description. */
export interface Variant {
  word: string;
  detail: string;
}

export interface CategoryVocabulary {
  /** SKU prefix. */
  code: string;
  nouns: string[];
  /** Each group gives a product at most one variant, with the group's probability. */
  groups: { probability: number; variants: Variant[] }[];
  brands: string[];
  /** Price range in whole currency units (the generator turns it into minor units). */
  price: [number, number];
  /** Sentences any product of the category may carry. `{a-b}` becomes a number in that range. */
  details: string[];
}

/** Product line names: the first word of a product's name, e.g. "Aurora". */
export const lines = [
  'Aurora',
  'Nimbus',
  'Vertex',
  'Pulse',
  'Echo',
  'Summit',
  'Terra',
  'Nova',
  'Zephyr',
  'Atlas',
  'Orbit',
  'Halo',
  'Ember',
  'Drift',
  'Luma',
  'Crest',
  'Apex',
  'Solace',
  'Tidal',
  'Cobalt',
  'Quartz',
  'Vista',
  'Sierra',
  'Fable',
  'Cirrus',
  'Prism',
  'Onyx',
  'Juniper',
  'Harbor',
  'Meridian',
  'Boreal',
  'Kestrel',
  'Lumen',
  'Sable',
  'Tundra',
  'Willow',
];

export const editions = ['', '', '', '', ' Pro', ' Max', ' Mini', ' Lite', ' Plus', ' 2', ' 3', ' X', ' SE'];

export const vocabulary: Record<CategoryId, CategoryVocabulary> = {
  headphones: {
    code: 'HP',
    nouns: ['Headphones', 'Over-Ear Headphones', 'On-Ear Headphones', 'Earbuds', 'In-Ear Monitors'],
    groups: [
      {
        // Some wireless, some wired — and only the wireless ones ever say "wireless".
        probability: 1,
        variants: [
          {
            word: 'Wireless',
            detail: 'Bluetooth 5.3 wireless connection with up to {20-60} hours of battery life.',
          },
          {
            word: 'Wireless',
            detail: 'Wireless multipoint pairing with two devices at once and USB-C fast charging.',
          },
          {
            word: 'Wired',
            detail: 'A detachable 1.2 m cable with a 3.5 mm plug: no pairing and no charging.',
          },
          {
            word: 'Studio',
            detail: 'A coiled studio cable with a 6.35 mm adapter for mixing desks and audio interfaces.',
          },
        ],
      },
      {
        probability: 0.5,
        variants: [
          {
            word: 'Noise-Cancelling',
            detail: 'Active noise cancelling with {4-8} microphones hushes trains, planes and open offices.',
          },
          {
            word: 'Sport',
            detail: 'Sweat-resistant (IPX{4-7}) with secure-fit wings for running and the gym.',
          },
          { word: 'Open-Back', detail: 'An open-back design for a wide, natural soundstage.' },
          { word: 'Hi-Res', detail: 'Hi-Res Audio certified {40-50} mm drivers reaching 40 kHz.' },
        ],
      },
    ],
    brands: ['Sonaris', 'Klangwerk', 'Auralis', 'Bassline', 'Quietude'],
    price: [19, 449],
    details: [
      'Memory-foam ear cushions stay comfortable for hours.',
      'Folds flat into the included hard-shell case.',
      'A built-in microphone handles calls clearly.',
      'Tuned for balanced sound with deep, controlled bass.',
    ],
  },
  speakers: {
    code: 'SP',
    nouns: ['Speaker', 'Bookshelf Speakers', 'Soundbar', 'Party Speaker', 'Smart Speaker'],
    groups: [
      {
        probability: 0.7,
        variants: [
          { word: 'Portable', detail: 'Up to {10-30} hours of playback from a single charge.' },
          { word: 'Bluetooth', detail: 'Bluetooth streaming from up to {10-30} metres away.' },
          { word: 'Waterproof', detail: 'IP67 waterproof and dustproof: it floats, too.' },
        ],
      },
      {
        probability: 0.4,
        variants: [
          { word: 'Stereo', detail: 'Pair two for true stereo separation.' },
          { word: 'Surround', detail: 'Virtual {5-7}.1 surround sound from a single cabinet.' },
        ],
      },
    ],
    brands: ['Sonaris', 'Roomfill', 'Klangwerk', 'Decibel & Co'],
    price: [29, 899],
    details: [
      'A woven fabric grille in four colours.',
      'Room calibration adjusts the sound to your space.',
      'Rich bass from a {50-120} mm woofer.',
    ],
  },
  laptops: {
    code: 'LT',
    nouns: ['Laptop', 'Ultrabook', 'Gaming Laptop', 'Convertible Laptop', 'Chromebook'],
    groups: [
      {
        probability: 1,
        variants: [
          { word: '13"', detail: 'A 13.3-inch {1920-2880}-pixel-wide display.' },
          { word: '14"', detail: 'A 14-inch display with {300-500} nits of brightness.' },
          { word: '15"', detail: 'A 15.6-inch display with a {60-165} Hz refresh rate.' },
          { word: '16"', detail: 'A 16-inch display with a 16:10 aspect ratio.' },
        ],
      },
      {
        probability: 0.5,
        variants: [
          { word: 'OLED', detail: 'An OLED panel with true blacks.' },
          { word: 'Touchscreen', detail: 'A touchscreen that works with the included stylus.' },
        ],
      },
    ],
    brands: ['Corewise', 'Lattice', 'Northbyte', 'Vantage Systems'],
    price: [299, 2999],
    details: [
      '{8-64} GB of memory and a {256-2048} GB SSD.',
      'A backlit keyboard and a glass trackpad.',
      'Up to {8-20} hours of battery life.',
      'Two USB-C ports with charging and display output.',
    ],
  },
  smartphones: {
    code: 'PH',
    nouns: ['Smartphone', 'Phone', 'Foldable Phone'],
    groups: [
      {
        probability: 0.6,
        variants: [
          { word: '5G', detail: '5G connectivity with dual SIM.' },
          { word: 'Rugged', detail: 'A rugged, drop-tested frame rated MIL-STD-810H.' },
          { word: 'Compact', detail: 'A compact {5-6}.1-inch body that fits one hand.' },
        ],
      },
    ],
    brands: ['Pocketline', 'Northbyte', 'Veridia'],
    price: [149, 1599],
    details: [
      'A triple camera with a {48-200} MP main sensor.',
      'Wireless charging and reverse charging for earbuds.',
      '{128-1024} GB of storage.',
      'Five years of software updates.',
    ],
  },
  cameras: {
    code: 'CM',
    nouns: ['Mirrorless Camera', 'Action Camera', 'Instant Camera', 'Compact Camera', 'Camera Lens'],
    groups: [
      {
        probability: 0.6,
        variants: [
          { word: '4K', detail: 'Records 4K video at up to {30-120} frames per second.' },
          { word: 'Full-Frame', detail: 'A {24-61} MP full-frame sensor.' },
          { word: 'Weather-Sealed', detail: 'Weather sealing against rain and dust.' },
        ],
      },
    ],
    brands: ['Lumenis', 'Shutterline', 'Optica'],
    price: [59, 3499],
    details: [
      'In-body image stabilisation of up to {5-8} stops.',
      'Fast hybrid autofocus that tracks eyes and animals.',
      'Transfers photos to your phone over Wi-Fi.',
    ],
  },
  'smart-home': {
    code: 'SH',
    nouns: ['Smart Plug', 'Video Doorbell', 'Thermostat', 'Smart Bulb', 'Security Camera', 'Robot Vacuum'],
    groups: [
      {
        probability: 0.5,
        variants: [
          { word: 'Wi-Fi', detail: 'Connects over 2.4 GHz Wi-Fi: no hub needed.' },
          { word: 'Matter', detail: 'Works with every Matter-compatible assistant.' },
          { word: 'Outdoor', detail: 'Rated IP65 for outdoor use.' },
        ],
      },
    ],
    brands: ['Homewise', 'Brightnest', 'Veridia'],
    price: [12, 699],
    details: [
      'Set schedules and scenes from the app.',
      'Energy reports show what each room uses.',
      'Local control keeps working without internet.',
    ],
  },
  kitchen: {
    code: 'KT',
    nouns: [
      "Chef's Knife",
      'Cast-Iron Skillet',
      'Espresso Machine',
      'Blender',
      'Stand Mixer',
      'Kettle',
      'Dutch Oven',
    ],
    groups: [
      {
        probability: 0.6,
        variants: [
          { word: 'Stainless', detail: 'Made of 18/10 stainless steel.' },
          { word: 'Enamelled', detail: 'A chip-resistant enamel finish in {3-9} colours.' },
          { word: 'Professional', detail: 'Built to restaurant standards.' },
        ],
      },
    ],
    brands: ['Forgehaus', 'Mesa Kitchen', 'Copperleaf'],
    price: [15, 1299],
    details: [
      'Dishwasher safe.',
      'Backed by a {2-25}-year warranty.',
      'Works on gas, electric and induction hobs.',
    ],
  },
  furniture: {
    code: 'FN',
    nouns: ['Desk Chair', 'Standing Desk', 'Bookshelf', 'Sofa', 'Coffee Table', 'Floor Lamp'],
    groups: [
      {
        probability: 0.6,
        variants: [
          { word: 'Ergonomic', detail: 'Adjustable lumbar support and {3-4}D armrests.' },
          { word: 'Oak', detail: 'Solid oak with a matte oil finish.' },
          { word: 'Modular', detail: 'Modular pieces you can rearrange as you move.' },
        ],
      },
    ],
    brands: ['Nordform', 'Loftline', 'Timberlane'],
    price: [39, 2499],
    details: [
      'Assembles in under {15-45} minutes.',
      'Ships flat-packed to your door.',
      'Tested to hold {100-150} kg.',
    ],
  },
  outdoor: {
    code: 'OD',
    nouns: ['Tent', 'Sleeping Bag', 'Hiking Backpack', 'Camping Stove', 'Headlamp', 'Trekking Poles'],
    groups: [
      {
        probability: 0.6,
        variants: [
          { word: 'Ultralight', detail: 'Weighs only {300-1800} g.' },
          { word: '4-Season', detail: 'Rated for snow loads and winter winds.' },
          { word: 'Waterproof', detail: 'A {3000-10000} mm waterproof rating.' },
        ],
      },
    ],
    brands: ['Ridgeway', 'Trailcraft', 'Alpenglow'],
    price: [19, 899],
    details: [
      'Packs into its own stuff sack.',
      'Made with recycled nylon.',
      'Tested on the Pacific Crest Trail.',
    ],
  },
  fitness: {
    code: 'FT',
    nouns: ['Yoga Mat', 'Dumbbell Set', 'Fitness Tracker', 'Exercise Bike', 'Kettlebell', 'Resistance Bands'],
    groups: [
      {
        probability: 0.5,
        variants: [
          { word: 'Adjustable', detail: 'Adjusts from {2-5} to {20-40} kg in seconds.' },
          { word: 'Smart', detail: 'Tracks workouts and syncs them to the app.' },
          { word: 'Non-Slip', detail: 'A non-slip surface that grips when you sweat.' },
        ],
      },
    ],
    brands: ['Corepeak', 'Ironleaf', 'Flowfit'],
    price: [9, 1499],
    details: [
      'Comes with {10-30} guided workouts.',
      'Compact enough for a small flat.',
      'Free of PVC and latex.',
    ],
  },
  books: {
    code: 'BK',
    nouns: ['Cookbook', 'Novel', 'Field Guide', 'Biography', 'Travel Guide', 'Poetry Collection'],
    groups: [
      {
        probability: 0.5,
        variants: [
          { word: 'Illustrated', detail: 'With {40-200} full-colour illustrations.' },
          { word: 'Hardcover', detail: 'A clothbound hardcover with a ribbon marker.' },
          { word: 'Annotated', detail: 'Annotated with notes and a new introduction.' },
        ],
      },
    ],
    brands: ['Inkwell Press', 'Harbor Books', 'Lantern House'],
    price: [8, 79],
    details: [
      '{180-640} pages.',
      'A bestseller in {3-20} countries.',
      'Printed on responsibly sourced paper.',
    ],
  },
  toys: {
    code: 'TY',
    nouns: ['Building Set', 'Board Game', 'Puzzle', 'Remote-Control Car', 'Plush Toy', 'Science Kit'],
    groups: [
      {
        probability: 0.5,
        variants: [
          { word: 'Wooden', detail: 'Made of FSC-certified beech wood.' },
          { word: 'Family', detail: 'For {2-6} players aged 8 and up.' },
          { word: 'STEM', detail: 'Teaches coding and engineering through play.' },
        ],
      },
    ],
    brands: ['Playforge', 'Tinkertown', 'Little Orbit'],
    price: [9, 299],
    details: ['{100-2000} pieces.', 'Tested to EN 71 toy safety standards.', 'Batteries included.'],
  },
  beauty: {
    code: 'BT',
    nouns: ['Face Serum', 'Moisturiser', 'Hair Dryer', 'Electric Toothbrush', 'Perfume', 'Sunscreen'],
    groups: [
      {
        probability: 0.5,
        variants: [
          { word: 'Organic', detail: 'Certified organic ingredients.' },
          { word: 'Fragrance-Free', detail: 'Fragrance-free for sensitive skin.' },
          { word: 'Ionic', detail: 'Ionic technology for less frizz.' },
        ],
      },
    ],
    brands: ['Lumiere', 'Verdant', 'Pure Ritual'],
    price: [7, 399],
    details: ['Dermatologist tested.', 'Vegan and cruelty-free.', 'Lasts about {30-90} days.'],
  },
  clothing: {
    code: 'CL',
    nouns: ['Rain Jacket', 'Merino Sweater', 'Running Shoes', 'Denim Jeans', 'Down Parka', 'Linen Shirt'],
    groups: [
      {
        probability: 0.6,
        variants: [
          { word: 'Recycled', detail: 'Made from {50-100}% recycled fibres.' },
          { word: 'Packable', detail: 'Packs into its own pocket.' },
          { word: 'Slim-Fit', detail: 'A slim, tailored fit.' },
        ],
      },
    ],
    brands: ['Northloom', 'Fieldwear', 'Coastline'],
    price: [19, 599],
    details: [
      'Machine washable at 30 °C.',
      'Available in sizes XS to XXL.',
      'Free returns within {30-60} days.',
    ],
  },
};
