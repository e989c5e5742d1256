import type { ProductImage } from '../data/items';

/** A simple pictogram per category, drawn in a 200×200 box. */
const pictograms: Record<string, string> = {
  headphones:
    '<path d="M50 120V95a50 50 0 0 1 100 0v25" fill="none" stroke="#fff" stroke-width="12"/><rect x="38" y="112" width="28" height="46" rx="10" fill="#fff"/><rect x="134" y="112" width="28" height="46" rx="10" fill="#fff"/>',
  speakers:
    '<rect x="60" y="35" width="80" height="130" rx="12" fill="#fff"/><circle cx="100" cy="75" r="18" fill="#0003"/><circle cx="100" cy="130" r="26" fill="#0003"/>',
  laptops:
    '<rect x="50" y="55" width="100" height="70" rx="6" fill="#fff"/><path d="M35 135h130l-10 15H45z" fill="#fff"/>',
  smartphones:
    '<rect x="72" y="30" width="56" height="140" rx="12" fill="#fff"/><rect x="80" y="44" width="40" height="104" rx="3" fill="#0002"/>',
  cameras:
    '<rect x="40" y="65" width="120" height="85" rx="12" fill="#fff"/><rect x="70" y="50" width="40" height="20" rx="4" fill="#fff"/><circle cx="100" cy="107" r="26" fill="#0003"/>',
  'smart-home':
    '<path d="M100 40 40 95h18v60h84V95h18z" fill="#fff"/><circle cx="100" cy="115" r="14" fill="#0003"/>',
  kitchen:
    '<path d="M45 90h110v35a35 35 0 0 1-35 35H80a35 35 0 0 1-35-35z" fill="#fff"/><rect x="150" y="98" width="28" height="10" rx="5" fill="#fff"/>',
  furniture:
    '<rect x="55" y="60" width="90" height="55" rx="8" fill="#fff"/><rect x="45" y="110" width="110" height="20" rx="6" fill="#fff"/><rect x="55" y="130" width="10" height="30" fill="#fff"/><rect x="135" y="130" width="10" height="30" fill="#fff"/>',
  outdoor: '<path d="M100 40 35 160h130z" fill="#fff"/><path d="M100 95 80 160h40z" fill="#0003"/>',
  fitness:
    '<rect x="40" y="85" width="120" height="30" rx="6" fill="#fff"/><rect x="30" y="65" width="22" height="70" rx="6" fill="#fff"/><rect x="148" y="65" width="22" height="70" rx="6" fill="#fff"/>',
  books:
    '<rect x="55" y="40" width="90" height="120" rx="6" fill="#fff"/><rect x="55" y="40" width="16" height="120" fill="#0002"/>',
  toys: '<rect x="45" y="95" width="50" height="50" rx="6" fill="#fff"/><rect x="105" y="95" width="50" height="50" rx="6" fill="#fff"/><rect x="75" y="45" width="50" height="50" rx="6" fill="#fff"/>',
  beauty:
    '<rect x="80" y="40" width="40" height="30" rx="6" fill="#fff"/><rect x="65" y="68" width="70" height="95" rx="14" fill="#fff"/>',
  clothing: '<path d="M75 40h50l40 30-18 25-17-12v77H70V83L53 95 35 70z" fill="#fff"/>',
};

const escapeXml = (text: string) =>
  text.replace(
    /[<>&"']/g,
    (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;', "'": '&apos;' })[c]!,
  );

function svgDataUrl(svg: string): string {
  return `data:image/svg+xml;charset=utf-8,${encodeURIComponent(svg)}`;
}

/**
 * Product pictures made here, not fetched: an SVG with the category's pictogram on a gradient in
 * the product's colour, and its brand. Two views differ in colour and framing.
 */
export function productImages(
  product: { name: string; brand: string; category: string },
  hue: number,
): ProductImage[] {
  const pictogram = pictograms[product.category] ?? '<circle cx="100" cy="100" r="50" fill="#fff"/>';
  const brand = escapeXml(product.brand);
  const view = (shift: number, scale: number, label: string): ProductImage => {
    const h = (hue + shift) % 360;
    const svg =
      `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 200 200" width="400" height="400">` +
      `<defs><linearGradient id="g" x1="0" y1="0" x2="1" y2="1"><stop offset="0" stop-color="hsl(${h},70%,62%)"/>` +
      `<stop offset="1" stop-color="hsl(${(h + 40) % 360},65%,38%)"/></linearGradient></defs>` +
      `<rect width="200" height="200" fill="url(#g)"/>` +
      `<g transform="translate(100 92) scale(${scale}) translate(-100 -100)">${pictogram}</g>` +
      `<text x="100" y="190" text-anchor="middle" font-family="sans-serif" font-size="13" fill="#fff">${brand}</text></svg>`;
    return { url: svgDataUrl(svg), alt: `${product.name}, ${label}` };
  };
  return [view(0, 0.8, 'front view'), view(180, 1, 'detail view')];
}
