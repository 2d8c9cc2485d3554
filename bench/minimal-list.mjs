// The reference for a keystroke: a minimal Ink list of 25 rows whose selection moves with the arrow keys.
import React, {useState} from 'react';
import {Box, render, Text, useApp, useInput} from 'ink';

const rows = Array.from({length: 25}, (_, index) => `row ${index} ${'-'.repeat(60)}`);

function App() {
	const {exit} = useApp();
	const [selected, setSelected] = useState(0);
	useInput((input, key) => {
		if (input === 'q') {
			exit();
		} else if (key.downArrow) {
			setSelected(value => Math.min(value + 1, rows.length - 1));
		} else if (key.upArrow) {
			setSelected(value => Math.max(value - 1, 0));
		}
	});
	return React.createElement(
		Box,
		{flexDirection: 'column'},
		React.createElement(Text, null, 'ready'),
		...rows.map((row, index) => React.createElement(Text, {key: index, inverse: index === selected}, `${index === selected ? '›' : ' '} ${row}`)),
	);
}

render(React.createElement(App), {alternateScreen: true, incrementalRendering: true, interactive: true});
