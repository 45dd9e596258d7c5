// Finds machine images by platform, a word in the name and optionally a region: `node search-images.mjs UBUNTU 12.04 us-west-2`.
import { offline, searchImages } from 'mixcoatl';

const [platform = 'UBUNTU', words = '', region] = process.argv.slice(2);

// ONE listing request (two when a region is named: its name is looked up first). The platform is
// matched case-insensitively, the words as text the name contains; extended detail embeds each
// image's region, so its name is known without another request.
const matches = await searchImages({ platform, name: words, ...(region ? { region } : {}) }, { details: 'extended' });

console.log(`${matches.length} ${platform} images match "${words}"${region ? ` in ${region}` : ''}`);
// offline(): proves that printing them makes no request.
offline(() => {
  for (const image of matches) {
    console.log(`${image.machineImageId}\t${image.architecture}\t${image.status}\t${image.region.name}\t${image.name}`);
  }
});
