/** The catalog's categories. A product's `category` is one of these ids. */
export const categories = [
  { id: 'headphones', name: 'Headphones' },
  { id: 'speakers', name: 'Speakers' },
  { id: 'laptops', name: 'Laptops' },
  { id: 'smartphones', name: 'Smartphones' },
  { id: 'cameras', name: 'Cameras' },
  { id: 'smart-home', name: 'Smart Home' },
  { id: 'kitchen', name: 'Kitchen' },
  { id: 'furniture', name: 'Furniture' },
  { id: 'outdoor', name: 'Outdoor & Camping' },
  { id: 'fitness', name: 'Fitness' },
  { id: 'books', name: 'Books' },
  { id: 'toys', name: 'Toys & Games' },
  { id: 'beauty', name: 'Beauty' },
  { id: 'clothing', name: 'Clothing' },
] as const;

export type CategoryId = (typeof categories)[number]['id'];

export const categoryIds: readonly string[] = categories.map((category) => category.id);

export const categoryName = (id: string) => categories.find((category) => category.id === id)?.name ?? id;
