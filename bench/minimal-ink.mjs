// The reference for the first frame: the smallest Ink app, one line of text.
import React from 'react';
import {render, Text, useApp, useInput} from 'ink';

function App() {
	const {exit} = useApp();
	useInput(input => {
		if (input === 'q') {
			exit();
		}
	});
	return React.createElement(Text, null, 'ready');
}

render(React.createElement(App), {alternateScreen: true, incrementalRendering: true, interactive: true});
