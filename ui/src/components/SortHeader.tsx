/** A column header that sorts the list by `sortKey`; `aria-sort` and the arrow mark the active column. */
export const SortHeader = <K extends string>({
  label,
  sortKey,
  sort,
  onSort,
}: {
  label: string;
  sortKey: K;
  sort: { key: K; desc: boolean };
  onSort: (key: K) => void;
}) => {
  const active = sort.key === sortKey;
  return (
    <th scope="col" aria-sort={active ? (sort.desc ? 'descending' : 'ascending') : undefined}>
      <button type="button" className="th-sort" onClick={() => onSort(sortKey)}>
        {label}
        <span aria-hidden="true">{active ? (sort.desc ? ' ▾' : ' ▴') : ''}</span>
      </button>
    </th>
  );
};
