import { z } from 'zod';

const Entry = z.object({
  type: z.enum(['file', 'dir', 'symlink', 'submodule']),
  name: z.string(),
  path: z.string(),
  sha: z.string(),
  size: z.number(),
  html_url: z.string().nullable(),
});

/** A file's text (decoded from GitHub's base64), or a directory's entries. */
export const FileContents = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('file'),
    name: z.string(),
    path: z.string(),
    sha: z.string(),
    size: z.number(),
    html_url: z.string().nullable(),
    download_url: z.string().nullable(),
    text: z
      .string()
      .nullable()
      .describe(
        'The file as UTF-8 text; null for binary files and for files over 1 MB (then use download_url)',
      ),
    content_base64: z.string().optional().describe('The raw bytes, for a binary file'),
  }),
  z.object({ type: z.literal('dir'), path: z.string(), entries: z.array(Entry) }),
  z.object({
    type: z.enum(['symlink', 'submodule']),
    name: z.string(),
    path: z.string(),
    sha: z.string(),
    target: z.string().optional(),
    submodule_git_url: z.string().optional(),
    html_url: z.string().nullable(),
  }),
]);
export type FileContents = z.output<typeof FileContents>;
